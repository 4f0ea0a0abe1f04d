"""The copy's folder kept in step with the site, touching only what changed.

``DIR/.communique-export.json`` lists every file the export wrote, with the
SHA-256 of its bytes. A run compares each file it would write with what is on
disk and writes only those that differ (so an ``rsync``, ``rclone sync`` or a
bucket upload afterwards sends only those too), and removes the files of the
previous run that the site no longer has. Files in the folder that the export
never wrote are never touched: the manifest is what makes a file its own.

Each file is written to a temporary name beside it and renamed into place, so
a web server serving the folder during a run never sends half a page.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = ".communique-export.json"


@dataclass
class Outcome:
    """What a run did (or, with ``check``, would do)."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(directory: Path) -> dict[str, str]:
    """The files the previous run wrote, with their digests; empty when there
    was none (or its manifest cannot be read: then nothing is removed)."""
    try:
        document = json.loads((directory / MANIFEST_NAME).read_text("utf-8"))
        files = document["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {str(name): str(value) for name, value in files.items()}


def _same_on_disk(path: Path, data: bytes) -> bool | None:
    """Whether ``path`` holds ``data``; ``None`` when there is no such file."""
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def check(directory: Path, files: dict[str, bytes]) -> Outcome:
    """Which files are missing, which differ from what the site would give
    now (``stale``), and which the site no longer has (``removed``): nothing
    is written."""
    outcome = Outcome()
    for name, data in files.items():
        same = _same_on_disk(directory / name, data)
        if same is None:
            outcome.missing.append(name)
        elif not same:
            outcome.stale.append(name)
        else:
            outcome.unchanged += 1
    outcome.removed = [
        name
        for name in read_manifest(directory)
        if name not in files and (directory / name).is_file()
    ]
    return outcome


def sync(directory: Path, files: dict[str, bytes]) -> Outcome:
    """Write ``files`` (names relative to ``directory``) that differ from the
    disk, remove the previous run's files the site no longer has, and record
    the new manifest. Raises ``OSError`` when the folder cannot be written."""
    outcome = Outcome()
    previous = read_manifest(directory)
    for name, data in sorted(files.items()):
        path = directory / name
        if _same_on_disk(path, data):
            outcome.unchanged += 1
            continue
        _write(path, data)
        outcome.written.append(name)
    for name in sorted(set(previous) - set(files)):
        path = directory / name
        if path.is_file():
            path.unlink()
            outcome.removed.append(name)
            _remove_empty_folders(path.parent, directory)
    manifest = {
        "files": {name: digest(data) for name, data in sorted(files.items())},
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    _write(directory / MANIFEST_NAME, text.encode("utf-8"))
    return outcome


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".export-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)  # served to anyone: the copy is public
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_empty_folders(folder: Path, top: Path) -> None:
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty: other files still live there
            return
        folder = folder.parent
