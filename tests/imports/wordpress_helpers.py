"""Running ``import-wordpress`` on the fixtures, as an operator would."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"
SITE = FIXTURES / "site.xml"
WPML = FIXTURES / "wpml.xml"
HOSTILE = FIXTURES / "hostile"


def import_wordpress(path: Path = SITE, *args: str) -> tuple[str, str]:
    """The command's standard output and error."""
    out, err = StringIO(), StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
