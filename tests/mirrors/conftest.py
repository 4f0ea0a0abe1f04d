from pathlib import Path

import pytest

from communique.comments.demo import load_demo_comments
from communique.publishing.demo import load_demo_statements

SITE_URL = "https://statements.example.org"


@pytest.fixture
def demo_site(db, settings):
    """The demo statements and comments, on a site with a public address."""
    settings.COMMUNIQUE_SITE_URL = SITE_URL
    load_demo_statements()
    load_demo_comments()


@pytest.fixture
def copy_dir(tmp_path) -> Path:
    return tmp_path / "copy"
