import subprocess
import sys

from django.core.management import call_command


def test_system_checks_pass():
    """`communique check`, as CI and operators run it (outside pytest's settings)."""
    result = subprocess.run(
        [sys.executable, "-m", "communique", "check", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_migrations_match_the_models(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
