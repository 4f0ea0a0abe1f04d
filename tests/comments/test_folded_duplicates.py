"""The duplicate-comment rule compares bodies as ``fold_for_matching`` does."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from communique.comments import edits, services
from communique.comments.models import Comment
from communique.textformats import digest_for_matching
from tests.factories import CommentFactory, UserFactory
from tests.helpers import comment_form_data, soup_of
from tests.helpers import comment_post_url as post_url

pytestmark = pytest.mark.django_db

ZWNJ = "\u200c"
KASHIDA = "\u0640"
DUPLICATE = "You have already posted this comment."
SAID = "ما با این بیانیه موافق نیستیم و می" + ZWNJ + "خواهیم پاسخ بدهیم."


def form_data(body):
    return comment_form_data(body=body, email="")


@pytest.mark.parametrize(
    "again",
    [
        SAID,
        SAID.replace("ی", "ي"),  # Arabic yeh
        SAID.replace("ی", "ى"),  # alef maksura
        SAID.replace("ما", "مـا").replace("بیانیه", "بیـانـیه"),  # kashida
        SAID.replace("موافق", "مُوافِق"),  # diacritics
        SAID.replace(ZWNJ, ""),  # the half-space left out
        SAID.replace("نیستیم", "نيستيم") + "  ",
        "\n" + SAID.replace(" ", "  "),
    ],
)
def test_the_same_comment_in_another_spelling_is_a_duplicate(client, statement, again):
    first = client.post(post_url(statement), form_data(SAID))
    second = client.post(post_url(statement), form_data(again))
    assert first.status_code == 302
    assert second.status_code == 409
    assert DUPLICATE in soup_of(second).select_one("#comment-form").get_text()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "other",
    [
        SAID.replace("موافق نیستیم", "موافقیم"),
        SAID.replace("می" + ZWNJ + "خواهیم", "می خواهیم"),  # a space is a word break
        SAID.replace("بدهیم", "بدهیم؟"),
    ],
)
def test_another_comment_is_not_a_duplicate(client, statement, other):
    client.post(post_url(statement), form_data(SAID))
    response = client.post(post_url(statement), form_data(other))
    assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_the_digest_is_the_folded_body(statement):
    comment = CommentFactory(statement=statement, body_source=SAID)
    assert comment.body_digest == digest_for_matching(SAID)
    assert comment.body_digest == digest_for_matching(SAID.replace("ی", "ي"))
    assert comment.body_source == SAID  # the text itself stays as typed


def test_the_lookup_is_one_query(statement, django_assert_num_queries):
    CommentFactory(statement=statement, body_source=SAID, fingerprint="client-a")
    with django_assert_num_queries(1):
        found = services._is_duplicate("client-a", digest_for_matching(SAID))
    assert found


def test_an_edit_changes_the_digest(statement):
    author = UserFactory()
    comment = CommentFactory(statement=statement, body_source="First words.")
    edits.edit_comment(comment=comment, subject="", body=SAID, editor=author)
    comment.refresh_from_db()
    assert comment.body_digest == digest_for_matching(SAID)


def test_the_migration_fills_the_digest_of_stored_comments(statement):
    comment = CommentFactory(statement=statement, body_source=SAID)
    Comment.objects.update(body_digest="")
    migration = importlib.import_module(
        "communique.comments.migrations.0004_comment_body_digest"
    )
    migration.fill_body_digests(apps, SimpleNamespace(connection=connection))
    comment.refresh_from_db()
    assert comment.body_digest == digest_for_matching(SAID)
