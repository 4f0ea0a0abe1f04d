"""The generation marker file, shared by every worker on this machine."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from communique.pagecache import generation


def in_another_process(code: str) -> str:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            f"from communique.pagecache import generation; {code}",
        ],
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout.strip()


def this_machines_part() -> bytes:
    """The marker file's part of the generation (with Redis, one moves there too)."""
    return generation.current()[: generation.MARKER_SIZE]


@pytest.fixture
def marker_file() -> Path:
    generation.current()  # mapped by this process
    return Path(settings.DATA_DIR) / generation.MARKER_FILE


@pytest.fixture
def check_at_once(monkeypatch):
    monkeypatch.setattr(generation, "RECHECK_SECONDS", 0)


def test_a_deleted_marker_file_is_followed(marker_file, check_at_once):
    before = generation.current()
    marker_file.unlink()
    in_another_process("generation.advance()")  # makes a new file and moves it
    assert generation.current() != before
    seen = generation.current()
    in_another_process("generation.advance()")
    assert generation.current() != seen  # this process reads the new file


def test_a_replaced_file_is_followed_before_writing(marker_file):
    """Even within the check interval: a move must reach the file others read."""
    replacement = marker_file.with_suffix(".new")
    replacement.write_bytes(b"\0" * generation.MARKER_SIZE)
    replacement.replace(marker_file)
    generation.advance()
    assert in_another_process("print(generation.current().hex())") == (
        generation.current().hex()
    )


def test_within_the_interval_the_mapped_file_is_read(marker_file, monkeypatch):
    monkeypatch.setattr(generation, "RECHECK_SECONDS", 3600)
    generation.advance()  # checks the file now, so the interval starts here
    before = this_machines_part()
    marker_file.unlink()
    in_another_process("generation.advance()")
    assert this_machines_part() == before  # the file is not looked at again yet
