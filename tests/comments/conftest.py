import pytest

from tests.factories import ModeratorFactory, StatementFactory


@pytest.fixture
def statement(db):
    return StatementFactory(title="On the harbour", slug="on-the-harbour")


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


@pytest.fixture(autouse=True)
def _no_captcha(settings):
    """Comment tests are about comments; tests/captcha covers the CAPTCHA."""
    settings.COMMUNIQUE_CAPTCHA_ENABLED = False


@pytest.fixture(autouse=True)
def _no_minimum_time(settings):
    """Tests post at once; tests/antispam covers the minimum time."""
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 0
