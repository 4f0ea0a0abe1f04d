"""Posting a comment: the duplicate rule and the link counter see through
full-width letters, ideographic full stops, invisible characters and look-alike
letters, and stored digests are recomputed for the new matching key."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import connection

from communique.comments.models import Comment
from communique.textformats import digest_for_matching
from tests.factories import CommentFactory, UserFactory
from tests.helpers import comment_form_data, soup_of
from tests.helpers import comment_post_url as post_url

pytestmark = pytest.mark.django_db

ZWSP = "\u200b"
SOFT_HYPHEN = "\u00ad"
FULLWIDTH_EVIL = "\uff45\uff56\uff49\uff4c"
IDEOGRAPHIC_STOP = "\u3002"
CYRILLIC_E = "\u0435"
CYRILLIC_A = "\u0430"
DUPLICATE = "You have already posted this comment."
SAID = "Buy cheap viagra at evil.com, the best pharmacy."

Status = Comment.Status


def form_data(body):
    return comment_form_data(body=body, email="")


@pytest.mark.parametrize(
    "again",
    [
        pytest.param(SAID.replace("evil", FULLWIDTH_EVIL), id="full-width host"),
        pytest.param(SAID.replace(".com", f"{IDEOGRAPHIC_STOP}com"), id="ideographic"),
        pytest.param(SAID.replace("evil", f"ev{ZWSP}il"), id="ZWSP in the host"),
        pytest.param(SAID.replace("evil", f"ev{SOFT_HYPHEN}il"), id="soft hyphen host"),
        pytest.param(SAID.replace("viagra", f"via{ZWSP}gra"), id="ZWSP in a word"),
        pytest.param(SAID.replace("viagra", f"via{SOFT_HYPHEN}gra"), id="soft hyphen"),
        pytest.param(SAID.replace("e", CYRILLIC_E), id="Cyrillic e"),
        pytest.param(SAID.replace("a", CYRILLIC_A), id="Cyrillic a"),
        pytest.param(SAID.replace("Buy", "\uff22\uff55\uff59"), id="full-width word"),
        pytest.param(SAID.replace("cheap", "che\u034fap\ufe0f"), id="other ignorables"),
    ],
)
def test_a_disguised_copy_is_a_duplicate(client, statement, again):
    first = client.post(post_url(statement), form_data(SAID))
    second = client.post(post_url(statement), form_data(again))
    assert first.status_code == 302
    assert second.status_code == 409
    assert DUPLICATE in soup_of(second).select_one("#comment-form").get_text()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "other",
    [
        SAID.replace("evil.com", "evil.org"),
        SAID.replace("viagra", "aspirin"),
    ],
)
def test_another_comment_is_not_a_duplicate(client, statement, other):
    client.post(post_url(statement), form_data(SAID))
    assert client.post(post_url(statement), form_data(other)).status_code == 302
    assert Comment.objects.count() == 2


@pytest.fixture
def trusted_client(client):
    """A reader whose comments skip approval: a hold for links stands out."""
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="skip_approval"))
    client.force_login(user)
    return client


DISGUISED_LINKS = [
    pytest.param(f"https://{FULLWIDTH_EVIL}.com/{{n}}", id="full-width letters"),
    pytest.param(f"https://evil{IDEOGRAPHIC_STOP}com/{{n}}", id="ideographic stop"),
    pytest.param(f"www.evil{IDEOGRAPHIC_STOP}com/{{n}}", id="www, ideographic stop"),
    pytest.param(f"https://ev{ZWSP}il.com/{{n}}", id="zero-width space"),
    pytest.param(f"www.ev{SOFT_HYPHEN}il.com/{{n}}", id="soft hyphen"),
    pytest.param("\uff57\uff57\uff57.evil.com/{n}", id="full-width www"),
]


@pytest.mark.parametrize("link", DISGUISED_LINKS)
@pytest.mark.parametrize(
    ("count", "status"), [(2, Status.PUBLISHED), (3, Status.PENDING)]
)
def test_disguised_links_count_like_plain_ones(
    trusted_client, statement, link, count, status
):
    body = "See " + " ".join(link.format(n=n) for n in range(count))
    response = trusted_client.post(post_url(statement), form_data(body))
    assert response.status_code == 302
    assert Comment.objects.get().status == status


def test_eleven_disguised_links_are_spam(client, statement):
    body = " ".join(f"www.evil{IDEOGRAPHIC_STOP}com/{n}" for n in range(11))
    assert client.post(post_url(statement), form_data(body)).status_code == 302
    assert Comment.objects.get().status == Status.SPAM


def test_the_migration_fills_digests_in_batches_with_the_full_folding(statement):
    stale = CommentFactory(statement=statement, body_source=SAID)
    current = CommentFactory(statement=statement, body_source="Another text.")
    Comment.objects.filter(pk=stale.pk).update(body_digest="0" * 64)
    migration = importlib.import_module(
        "communique.comments.migrations.0004_comment_body_digest"
    )
    migration.BATCH = 1  # every batch boundary is crossed
    try:
        migration.fill_body_digests(apps, SimpleNamespace(connection=connection))
    finally:
        importlib.reload(migration)
    stale.refresh_from_db()
    current.refresh_from_db()
    assert stale.body_digest == digest_for_matching(SAID)
    assert stale.body_digest == digest_for_matching(SAID.replace("e", CYRILLIC_E))
    assert current.body_digest == digest_for_matching("Another text.")
