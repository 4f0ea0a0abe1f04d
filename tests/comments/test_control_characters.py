"""Names and subjects are one line; the moderator mail cannot be forged by one."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.urls import reverse

from communique.comments import controls, services
from communique.comments.models import Comment
from communique.comments.notifications import notify_moderators
from tests.factories import CommentFactory, UserFactory
from tests.helpers import comment_form_data as form_data
from tests.helpers import comment_post_url as post_url
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db

REFUSED = "Remove the line breaks and other control characters from this field."

HOSTILE = [
    pytest.param("Ali\r\nBcc: victim@example.org", id="crlf"),
    pytest.param("Ali\nFake line", id="lf"),
    pytest.param("Ali\rFake line", id="cr"),
    pytest.param("Ali\x00Null", id="nul"),
    pytest.param("Ali\tTab", id="tab"),
    pytest.param("Ali\x1b[31mRed", id="escape"),
    pytest.param("Ali\x85Next line", id="nel"),
    pytest.param("Ali\u2028Line separator", id="u2028"),
    pytest.param("Ali\u2029Paragraph separator", id="u2029"),
    pytest.param("Ali\u202eevil.exe", id="rlo"),
    pytest.param("Ali\u2066isolate\u2069", id="lri"),
]

ALLOWED = [
    pytest.param("نیلوفر", id="persian"),
    pytest.param("می\u200cخواهم", id="zwnj"),
    pytest.param("Ali\u200fرضا", id="rlm"),
    pytest.param("José Müller-Ōtsuka", id="latin"),
    pytest.param("अनीता", id="devanagari"),
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["author_name", "subject"])
def test_form_refuses_control_characters(client, statement, field, value):
    response = client.post(post_url(statement), form_data(**{field: value}))
    assert response.status_code == 400
    errors = soup_of(response).find(id=f"id_{field}_error").get_text()
    assert REFUSED in errors or "Null characters are not allowed." in errors
    assert soup_of(response).find("textarea").get_text().strip() == "We agree."
    assert not Comment.objects.exists()


@pytest.mark.parametrize("value", ALLOWED)
@pytest.mark.parametrize("field", ["author_name", "subject"])
def test_form_accepts_names_in_every_script(client, statement, field, value):
    response = client.post(post_url(statement), form_data(**{field: value}))
    assert response.status_code == 302
    assert getattr(Comment.objects.get(), field) == value


@pytest.mark.parametrize("value", HOSTILE)
def test_edit_form_refuses_control_characters_in_the_subject(client, statement, value):
    author = UserFactory()
    comment = CommentFactory(statement=statement, user=author)
    client.force_login(author)
    response = client.post(
        reverse("comments:edit", args=[comment.pk]), {"subject": value, "body": "Ok."}
    )
    assert response.status_code == 400
    assert Comment.objects.get(pk=comment.pk).body_source != "Ok."


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("a\r\nb", "a b"),
        ("a\u2028\u2029b", "a b"),
        ("a\x00b", "a\ufffdb"),
        ("a\u202eb", "a\ufffdb"),
        ("  a \t b  ", "a b"),
        ("می\u200cخواهم", "می\u200cخواهم"),
        ("", ""),
    ],
)
def test_one_line(value, line):
    assert controls.one_line(value) == line


@pytest.fixture
def mailed_moderator(db):
    user = UserFactory(username="mina", email="mina@example.org")
    user.user_permissions.add(Permission.objects.get(codename="moderate_comments"))
    return user


@pytest.mark.parametrize("value", HOSTILE)
def test_mail_stays_well_formed_whatever_the_stored_name(
    mailed_moderator, statement, value
):
    """Names stored by other means (the service, an import) reach the mail
    as one line, and never its headers."""
    if "\x00" in value and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL cannot store NUL in text, so no mail can carry it")
    services.post_comment(
        statement=statement,
        parent=None,
        draft=services.Draft(
            author_name=value,
            subject=value,
            body=f"First line.\r\nSecond\u2028line {value}",
        ),
        user=None,
        fingerprint="hostile",
        screened=False,
    )
    assert notify_moderators() == 1
    message = mail.outbox[0]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "Ali" not in message.subject
    body = message.body
    lines = body.split("\n")
    listed = [line for line in lines if line.startswith("- ")]
    assert len(listed) == 1
    assert listed[0].startswith("- Ali")
    assert listed[0].endswith(":")
    quoted = lines[lines.index(listed[0]) + 1]
    assert quoted.startswith("  First line. Second line Ali")
    for line in lines:
        assert not any(controls.is_control_character(char) for char in line)
    # The whole message serialises: no header carries a reader's value.
    raw = message.message().as_bytes()
    headers = raw.split(b"\n\n", 1)[0]
    assert b"Ali" not in headers
