"""Demo statements shipped with the package, for `communique demo`."""

from pathlib import Path

from communique.publishing.importer import find_statement_files, import_statement_file
from communique.publishing.models import Statement

DEMO_DIR = Path(__file__).resolve().parent / "demo_statements"


def load_demo_statements() -> int:
    """Import the demo statements into an empty site. Returns how many."""
    if Statement.objects.exists():
        return 0
    files = list(find_statement_files([DEMO_DIR]))
    for path in files:
        import_statement_file(path)
    return len(files)
