import pytest


@pytest.fixture(autouse=True)
def _guards_off(no_captcha, post_at_once):
    """Comment tests are about comments, not the spam guards."""
