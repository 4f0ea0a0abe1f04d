import pytest


@pytest.fixture(autouse=True)
def _captcha_on(settings):
    settings.COMMUNIQUE_CAPTCHA_ENABLED = True
    settings.COMMUNIQUE_CAPTCHA_FORMS = ["comment", "reply"]


@pytest.fixture(autouse=True)
def _no_minimum_time(settings):
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 0
