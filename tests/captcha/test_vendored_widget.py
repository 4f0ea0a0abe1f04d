"""The ALTCHA widget we serve is the npm package's, unchanged, at the version
package-lock.json pins (see static/communique/altcha/README.md)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVED = ROOT / "src" / "communique" / "static" / "communique" / "altcha"
PACKAGE = ROOT / "node_modules" / "altcha"
COPIES = {
    "altcha.min.js": "dist/external/altcha.min.js",
    "altcha.css": "dist/external/altcha.css",
    "pbkdf2.js": "dist/workers/pbkdf2.js",
    "LICENSE.txt": "LICENSE.txt",
}


def locked_version() -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/altcha"]["version"]


def test_the_readme_names_the_locked_version():
    readme = (SERVED / "README.md").read_text(encoding="utf-8")
    assert re.search(r"version\s+\*\*(\S+)\*\*", readme).group(1) == locked_version()


def test_the_served_files_are_the_installed_packages():
    if not (PACKAGE / "package.json").exists():
        pytest.skip("node_modules/altcha is not installed (npm ci)")
    installed = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == locked_version()
    for served, original in COPIES.items():
        assert (SERVED / served).read_bytes() == (PACKAGE / original).read_bytes()


def test_nothing_served_names_another_host_to_load_from():
    script = (SERVED / "altcha.min.js").read_text(encoding="utf-8")
    assert "new Worker(" not in script  # the workers are ours, from pbkdf2.js
    assert "data:text/javascript" not in script
    assert "url(" not in (SERVED / "altcha.css").read_text(encoding="utf-8")
