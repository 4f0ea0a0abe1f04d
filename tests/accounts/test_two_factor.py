"""Signing in with an authenticator's code (django-otp's TOTP devices)."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import PASSWORD
from tests.factories import EditorFactory, ModeratorFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or ``steps_ahead`` later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def sign_in(client, user, code="", url="admin:login"):
    return client.post(
        reverse(url),
        {"username": user.username, "password": PASSWORD, "otp_token": code},
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def required(settings):
    settings.COMMUNIQUE_STAFF_TOTP_REQUIRED = True


# Signing in


def test_required_refuses_the_password_alone(client, required):
    editor = EditorFactory()
    enrolled(editor)
    response = sign_in(client, editor)
    assert response.status_code == 200
    assert not signed_in(client)
    assert "enter the six digits" in soup_of(response).get_text()


def test_required_accepts_the_password_with_a_valid_code(client, required):
    editor = EditorFactory()
    device = enrolled(editor)
    response = sign_in(client, editor, code_of(device))
    assert response.status_code == 302
    assert signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_is_refused(client, required):
    editor = EditorFactory()
    device = enrolled(editor)
    response = sign_in(client, editor, code_of(device, steps_ahead=5))
    assert response.status_code == 200
    assert not signed_in(client)
    assert "not right" in soup_of(response).get_text()


def test_a_code_is_accepted_once(client):
    editor = EditorFactory()
    device = enrolled(editor)
    code = code_of(device)
    assert sign_in(client, editor, code).status_code == 302
    client.logout()
    assert sign_in(client, editor, code).status_code == 200
    assert not signed_in(client)


def test_an_enrolled_account_needs_its_code_even_when_not_required(client):
    editor = EditorFactory()
    enrolled(editor)
    assert sign_in(client, editor).status_code == 200
    assert not signed_in(client)


def test_accounts_without_a_device_need_no_code_when_not_required(client):
    editor = EditorFactory()
    assert sign_in(client, editor).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_moderators_give_their_code_on_their_own_sign_in(client, required):
    moderator = ModeratorFactory()
    device = enrolled(moderator)
    assert sign_in(client, moderator, url="accounts:sign_in").status_code == 200
    response = sign_in(client, moderator, code_of(device), url="accounts:sign_in")
    assert response.status_code == 302
    assert client.get(reverse("comments:moderation")).status_code == 200


# A session without the second factor


@pytest.mark.parametrize(
    ("make", "page"),
    [
        (EditorFactory, "admin:index"),
        (EditorFactory, "admin:publishing_statement_changelist"),
        (ModeratorFactory, "comments:moderation"),
        (ModeratorFactory, "comments:moderation_log"),
        (ModeratorFactory, "antispam:blocklist"),
    ],
)
def test_required_sends_unverified_staff_to_the_second_factor(
    client, required, make, page
):
    client.force_login(make())
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))


def test_required_leaves_readers_pages_alone(client, required, statement):
    response = client.get(statement.get_absolute_url())
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")


# Enrolling


def test_enrolling_shows_the_secret_as_text_and_no_third_party(client):
    editor = EditorFactory()
    client.force_login(editor)
    response = client.get(reverse("accounts:two_factor"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = soup_of(response)
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert page.select_one(".totp-uri").get_text() == device.config_url
    assert device.config_url.startswith("otpauth://totp/")
    secret = page.select_one(".totp-secret").get_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert not page.find("img")
    # Reloading keeps the secret already typed into the app.
    again = soup_of(client.get(reverse("accounts:two_factor")))
    assert again.select_one(".totp-secret").get_text().replace(" ", "") == secret


def test_enrolling_confirms_the_device_with_its_first_code(client):
    editor = EditorFactory()
    client.force_login(editor)
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=editor)
    response = client.post(
        reverse("accounts:two_factor"), {"otp_token": code_of(device)}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session["otp_device_id"] == device.persistent_id


def test_enrolling_with_a_wrong_code_confirms_nothing(client):
    editor = EditorFactory()
    client.force_login(editor)
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=editor)
    response = client.post(
        reverse("accounts:two_factor"), {"otp_token": code_of(device, steps_ahead=5)}
    )
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed


def test_required_staff_enrol_then_reach_the_admin(client, required):
    editor = EditorFactory()
    assert sign_in(client, editor).status_code == 302
    index = reverse("admin:index")
    response = client.get(index)
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    client.get(response["Location"])
    device = TOTPDevice.objects.get(user=editor)
    done = client.post(
        reverse("accounts:two_factor"), {"otp_token": code_of(device), "next": index}
    )
    assert done["Location"] == index
    assert client.get(index).status_code == 200


def test_a_signed_in_session_gives_its_code_when_it_becomes_required(client, settings):
    editor = EditorFactory()
    device = enrolled(editor)
    client.force_login(editor)
    settings.COMMUNIQUE_STAFF_TOTP_REQUIRED = True
    page = soup_of(client.get(reverse("accounts:two_factor")))
    assert not page.select(".totp-secret")
    response = client.post(
        reverse("accounts:two_factor"), {"otp_token": code_of(device)}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
