"""Moderators who are not staff sign in on the moderation pages' own page."""

import pytest
from django.urls import reverse

from communique.comments.models import Comment
from tests.accounts.conftest import PASSWORD
from tests.factories import CommentFactory, EditorFactory, ModeratorFactory, UserFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db


def sign_in(client, user, password=PASSWORD, url="accounts:sign_in", **data):
    return client.post(
        reverse(url), {"username": user.username, "password": password, **data}
    )


def errors(response) -> str:
    return " ".join(
        tag.get_text(" ", strip=True)
        for tag in soup_of(response).select(".error, .errornote, .errorlist")
    )


def test_the_sign_in_page_is_at_moderation_sign_in(client):
    assert reverse("accounts:sign_in") == "/moderation/sign-in/"
    assert reverse("accounts:sign_in").startswith("/moderation/")
    response = client.get(reverse("accounts:sign_in"))
    assert response.status_code == 200
    assert soup_of(response).find("h1").get_text() == "Sign in to moderate"
    assert "no-store" in response["Cache-Control"]


def test_a_moderator_who_is_not_staff_signs_in_and_moderates(client):
    moderator = ModeratorFactory()
    assert not moderator.is_staff
    pending = CommentFactory(status=Comment.Status.PENDING)
    response = sign_in(client, moderator)
    assert response.status_code == 302
    assert response["Location"] == reverse("comments:moderation")
    queue = client.get(reverse("comments:moderation"))
    assert queue.status_code == 200
    client.post(
        reverse("comments:moderation"), {"action": "approve", "comments": [pending.pk]}
    )
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PUBLISHED


def test_the_sign_in_returns_to_the_page_asked_for(client):
    moderator = ModeratorFactory()
    log = reverse("comments:moderation_log")
    response = sign_in(client, moderator, next=log)
    assert response["Location"] == log


def test_a_moderator_who_is_not_staff_cannot_reach_the_admin(client):
    moderator = ModeratorFactory()
    sign_in(client, moderator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.logout()
    refused = sign_in(client, moderator, url="admin:login")
    assert refused.status_code == 200
    assert "staff account" in errors(refused)
    assert "_auth_user_id" not in client.session


def test_staff_may_sign_in_here_too_when_they_moderate(client, settings):
    editor = EditorFactory(is_superuser=True)
    assert sign_in(client, editor).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("who", ["reader", "editor"])
def test_accounts_that_may_not_moderate_are_refused(client, who):
    user = UserFactory() if who == "reader" else EditorFactory()
    response = sign_in(client, user)
    assert response.status_code == 200
    assert "This account may not moderate comments." in errors(response)
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_refused_with_the_usual_message(client):
    response = sign_in(client, ModeratorFactory(), password="wrong")
    assert response.status_code == 200
    assert "correct username and password" in errors(response)


def test_signing_out(client):
    moderator = ModeratorFactory()
    sign_in(client, moderator)
    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("comments:moderation")).status_code == 302


@pytest.mark.parametrize("name", ["comments:moderation", "comments:moderation_log"])
def test_moderation_pages_are_private_and_not_stored(client, name):
    client.force_login(ModeratorFactory())
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_admin_pages_are_private_and_not_stored(client):
    client.force_login(EditorFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_public_pages_seen_signed_in_are_private_and_not_stored(client, statement):
    client.force_login(ModeratorFactory())
    response = client.get(statement.get_absolute_url())
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_public_pages_for_readers_stay_public(client, statement):
    response = client.get(statement.get_absolute_url())
    assert "public" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]
