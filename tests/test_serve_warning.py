"""`communique serve` warns at start when the site's public address, which
mails and feeds are made from, is unset or local in production."""

import io

import pytest
from django.core.management import call_command

from communique import server


@pytest.fixture
def serve(monkeypatch):
    """``communique serve``, stopped before it prepares or serves anything:
    what it wrote to stderr."""
    monkeypatch.setattr(server, "prepare", lambda **kwargs: None)
    monkeypatch.setattr(server, "run_with_options", lambda *args, **kwargs: None)

    def run() -> str:
        stderr = io.StringIO()
        call_command("serve", "--bind", "0.0.0.0:8080", stderr=stderr)
        return stderr.getvalue()

    return run


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",  # the default, when unset
        "http://localhost:8080/",
        "http://LOCALHOST.",
        "http://site.localhost",
        "http://[::1]:8000",
        "http://0.0.0.0",
        "http://127.1.2.3",
        "",
        "not a url",
    ],
)
def test_a_local_or_missing_address_is_warned_about(serve, settings, url):
    settings.DEBUG = False
    settings.COMMUNIQUE_SITE_URL = url
    warning = serve()
    assert warning.startswith("Warning: COMMUNIQUE_SITE_URL is unset or names")
    assert f"({url})" in warning


@pytest.mark.parametrize(
    "url",
    ["https://news.example.org", "http://192.0.2.10:8080", "http://[2001:db8::1]"],
)
def test_a_public_address_is_not(serve, settings, url):
    settings.DEBUG = False
    settings.COMMUNIQUE_SITE_URL = url
    assert serve() == ""


def test_no_warning_while_debugging(serve, settings):
    settings.DEBUG = True
    settings.COMMUNIQUE_SITE_URL = "http://127.0.0.1:8000"
    assert serve() == ""
