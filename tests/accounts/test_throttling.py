"""Sign-in throttling: django-axes, per account and per client."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.accounts.conftest import PASSWORD
from tests.factories import EditorFactory, ModeratorFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "admin:login"
HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def sign_in(client, username, password, *, address=HOME, url=ADMIN_LOGIN, **extra):
    return client.post(
        reverse(url),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def fail(client, username, times, *, address=HOME, **extra):
    for _ in range(times):
        response = sign_in(client, username, "wrong password", address=address, **extra)
    return response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_defaults_are_five_failures_and_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME


def test_wrong_passwords_lock_the_account_with_a_page_saying_when(client):
    editor = EditorFactory()
    assert fail(client, editor.username, 4).status_code == 200
    response = fail(client, editor.username, 1)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "no-store" in response["Cache-Control"]
    page = soup_of(response)
    assert page.find("h1").get_text() == "Too many failed sign-ins"
    assert "Try again in 15 minutes." in page.find("main").get_text(" ", strip=True)


def test_the_right_password_is_refused_while_locked_and_not_hashed(client, hashed):
    editor = EditorFactory()
    fail(client, editor.username, 5)
    hashed.clear()
    response = sign_in(client, editor.username, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert hashed == []


def test_wrong_passwords_cost_one_hash_each_until_the_lockout(client, hashed):
    editor = EditorFactory()
    hashed.clear()
    fail(client, editor.username, 5)
    assert len(hashed) == 5
    fail(client, editor.username, 20)
    fail(client, "nobody-of-that-name", 20)
    assert len(hashed) == 5


def test_the_account_is_locked_for_every_client(client):
    editor = EditorFactory()
    fail(client, editor.username, 5, address=HOME)
    assert (
        sign_in(client, editor.username, PASSWORD, address=ELSEWHERE).status_code == 429
    )


def test_the_client_is_locked_for_every_account(client):
    fail(client, "first-guess", 3, address=HOME)
    fail(client, "second-guess", 2, address=HOME)
    other = EditorFactory()
    assert sign_in(client, other.username, PASSWORD, address=HOME).status_code == 429


def test_other_accounts_from_other_clients_are_unaffected(client):
    target, other = EditorFactory(), EditorFactory()
    fail(client, target.username, 5, address=HOME)
    response = sign_in(client, other.username, PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302
    assert signed_in(client)


def test_clients_are_told_apart_as_the_site_does_behind_a_proxy(client, settings):
    """With COMMUNIQUE_PROXY_COUNT the client is the address the proxy saw,
    as for the site's other limits: one proxy's address is not one client."""
    settings.COMMUNIQUE_PROXY_COUNT = 1
    target, other = EditorFactory(), EditorFactory()
    for guess in range(5):
        sign_in(
            client,
            f"guess-{guess}",
            "wrong",
            address="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    locked = sign_in(
        client,
        target.username,
        PASSWORD,
        address="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert locked.status_code == 429
    response = sign_in(
        client,
        other.username,
        PASSWORD,
        address="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert response.status_code == 302


def test_the_moderation_sign_in_is_throttled_alike(client, hashed):
    moderator = ModeratorFactory()
    fail(client, moderator.username, 5, url="accounts:sign_in")
    hashed.clear()
    response = sign_in(client, moderator.username, PASSWORD, url="accounts:sign_in")
    assert response.status_code == 429
    assert hashed == []


def test_the_lockout_ends(client, settings):
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=1)
    editor = EditorFactory()
    fail(client, editor.username, 5)
    assert sign_in(client, editor.username, PASSWORD).status_code == 429
    time.sleep(1.2)
    assert sign_in(client, editor.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_lockout_page_speaks_the_address_language(client):
    editor = EditorFactory()
    response = fail(client, editor.username, 5, url=ADMIN_LOGIN)
    assert response.status_code == 429
    response = client.post(
        "/fa/admin/login/", {"username": editor.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert soup_of(response).find("html")["lang"] == "fa"


def test_an_administrator_lifts_an_account_lockout(client):
    editor = EditorFactory()
    fail(client, editor.username, 5, address=HOME)
    call_command("axes_reset_username", editor.username, verbosity=0)
    assert (
        sign_in(client, editor.username, PASSWORD, address=ELSEWHERE).status_code == 302
    )
