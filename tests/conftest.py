from pathlib import Path

import pytest
from django.core.cache import cache

from communique import worker_memory
from tests.helpers import FormClient

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = REPO_ROOT.parent / "shared" / "seed"


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Serve static URLs without the manifest that `communique serve` builds."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test users' passwords need no protection; hashing them slowly costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """The shared cache and each kind of copy a worker keeps in memory."""
    cache.clear()
    worker_memory.forget_all()
    yield
    cache.clear()
    worker_memory.forget_all()


@pytest.fixture
def client() -> FormClient:
    """Django's test client, posting forms as browsers do (tests.helpers)."""
    return FormClient()


@pytest.fixture
def seed_statement_file() -> Path:
    """The reference statement as an import file, when the seed is present."""
    path = SEED_DIR / "statement.md"
    if not path.is_file():
        pytest.skip(f"the reference seed is not present at {path}")
    return path


@pytest.fixture
def statement(db):
    from tests.factories import StatementFactory

    return StatementFactory(title="On the harbour", slug="on-the-harbour")


@pytest.fixture
def moderator(db):
    from tests.factories import ModeratorFactory

    return ModeratorFactory()


@pytest.fixture
def no_captcha(settings):
    """For tests about something else; tests/captcha covers the CAPTCHA."""
    settings.COMMUNIQUE_CAPTCHA_ENABLED = False


@pytest.fixture
def post_at_once(settings):
    """Tests post forms at once; tests/antispam covers the minimum time."""
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 0


@pytest.fixture
def editor(db):
    from tests.factories import EditorFactory

    return EditorFactory()
