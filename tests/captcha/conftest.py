import pytest


@pytest.fixture(autouse=True)
def _captcha_on(settings, post_at_once):
    settings.COMMUNIQUE_CAPTCHA_ENABLED = True
    settings.COMMUNIQUE_CAPTCHA_FORMS = ["comment", "reply"]
