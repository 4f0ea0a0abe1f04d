"""Only the site's own account may read its data: modes after real commands."""

import stat
from pathlib import Path

import pytest

from communique import environment
from tests.live_server import communique


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.server
def test_demo_leaves_every_file_to_its_own_account(tmp_path):
    data_dir = tmp_path / "var"
    result = communique("demo", "--no-serve", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    database = data_dir / environment.SQLITE_FILE
    assert mode(data_dir) == 0o700
    assert mode(database) == 0o600
    assert mode(data_dir / environment.SECRET_KEY_FILE) == 0o600
    assert mode(data_dir / "cache") == 0o700
    cache_files = list((data_dir / "cache").iterdir())
    assert cache_files
    assert {mode(path) for path in cache_files} == {0o600}
    everything = [path for path in data_dir.rglob("*") if path.is_file()]
    assert not [path for path in everything if mode(path) & 0o077]


def test_sqlite_journal_files_are_private(tmp_path):
    """-wal and -shm exist while a connection is open; SQLite gives them the
    database file's mode, and files left from before are closed at start."""
    data_dir = tmp_path / "var"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    database = data_dir / environment.SQLITE_FILE
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{database}{suffix}")
        path.touch()
        path.chmod(0o644)
    (data_dir / environment.SECRET_KEY_FILE).write_text("k" * 50)
    (data_dir / environment.SECRET_KEY_FILE).chmod(0o644)
    environment.make_private(
        data_dir, {"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)}
    )
    assert mode(data_dir) == 0o700
    for suffix in ("", "-wal", "-shm"):
        assert mode(Path(f"{database}{suffix}")) == 0o600
    assert mode(data_dir / environment.SECRET_KEY_FILE) == 0o600


@pytest.mark.server
def test_files_left_readable_by_an_older_version_are_closed_at_start(tmp_path):
    data_dir = tmp_path / "var"
    assert communique("migrate", data_dir=data_dir).returncode == 0
    database = data_dir / environment.SQLITE_FILE
    data_dir.chmod(0o755)
    database.chmod(0o644)
    result = communique("check", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert mode(data_dir) == 0o700
    assert mode(database) == 0o600
