"""Finding the statement at an address, in the language a reader asked for."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from communique.publishing.models import Statement
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db


def find(slug, *, language=None, preferred="en", user=None):
    return Statement.objects.find(
        slug, language=language, preferred=preferred, user=user or AnonymousUser()
    )


@pytest.fixture
def translations():
    return {
        code: StatementFactory(
            title=f"Shared title {code}", slug="shared", language=code
        )
        for code in ("fa", "en", "de")
    }


def test_the_preferred_language_comes_first(translations):
    assert find("shared") == translations["en"]
    assert find("shared", preferred="fa") == translations["fa"]


def test_without_the_preferred_one_the_first_by_code(translations):
    translations["en"].delete()
    assert find("shared") == translations["de"]


def test_a_language_asked_for_is_the_only_one(translations):
    assert find("shared", language="fa") == translations["fa"]
    assert find("shared", language="ru") is None


def test_the_statement_comes_whole_with_the_orm_types(translations):
    found = find("shared")
    stored = Statement.objects.get(pk=found.pk)
    for field in Statement._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(stored, field.attname)
    assert timezone.is_aware(found.published_at)


def test_drafts_and_trash_only_for_staff(translations, editor):
    Statement.objects.filter(pk=translations["en"].pk).update(status="draft")
    Statement.objects.filter(pk=translations["de"].pk).update(trashed_at=timezone.now())
    assert find("shared") == translations["fa"]
    assert find("shared", user=editor) == translations["en"]
    assert find("shared", language="de", user=editor) is None


def test_unknown_and_hostile_slugs_find_nothing(translations):
    for slug in ("missing", "shared' OR '1'='1", "shared%", "%", ""):
        assert find(slug) is None
