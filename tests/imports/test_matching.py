"""Finding statements by old addresses, and ordering comments parents first."""

import pytest

from communique.imports.matching import (
    BY_ADDRESS,
    BY_OLD_ADDRESS,
    BY_SLUG,
    host_of,
    slug_in,
    statement_for,
)
from communique.imports.models import OldAddress
from communique.imports.threads import parents_first
from tests.factories import StatementFactory


def order(pairs):
    """``pairs`` of (id, parent id), ordered parents first, as ids."""
    return [
        key
        for key, _ in parents_first(
            pairs, key=lambda p: p[0], parent=lambda p: p[1], order=lambda p: p[0]
        )
    ]


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([("c", "b"), ("b", "a"), ("a", "")], ["a", "b", "c"]),
        ([("b", ""), ("a", ""), ("c", "a")], ["a", "c", "b"]),
        ([("a", "missing"), ("b", "a")], ["a", "b"]),
        ([("a", "a")], ["a"]),  # its own parent
        ([("a", "b"), ("b", "a"), ("c", "")], ["c", "a", "b"]),  # a loop
    ],
)
def test_every_comment_comes_once_after_its_parent(pairs, expected):
    assert order(pairs) == expected


@pytest.mark.parametrize(
    ("path", "slug"),
    [
        ("/2022/01/on-wages/", "on-wages"),
        ("/blog/housing-now.html", "housing-now"),
        ("/fa/statements/بیانیه-آب", "بیانیه-آب"),
        ("/", ""),
    ],
)
def test_the_slug_of_an_address(path, slug):
    assert slug_in(path) == slug


def test_hosts_are_compared_without_www():
    assert host_of("https://WWW.Old.Example.org/x") == "old.example.org"


@pytest.mark.django_db
def test_statements_are_found_surest_way_first():
    live = StatementFactory(slug="on-wages")
    old = StatementFactory(slug="river")
    OldAddress.objects.create(address="/?p=12", statement=old)
    by_slug = StatementFactory(slug="housing-now")

    assert statement_for(["http://x.example/statements/on-wages/"]).how == BY_ADDRESS
    assert statement_for(["http://x.example/statements/on-wages/"]).statement == live
    # A WordPress identifier, "12 http://old.example.org/?p=12".
    found = statement_for(["http://x.example/gone/", "12", "http://x.example/?p=12"])
    assert (found.statement, found.how) == (old, BY_OLD_ADDRESS)
    found = statement_for(["http://x.example/2020/11/housing-now/"])
    assert (found.statement, found.how) == (by_slug, BY_SLUG)
    assert statement_for(["http://x.example/2020/nothing/"]).statement is None


@pytest.mark.django_db
def test_a_slug_several_statements_share_is_ambiguous_unless_the_language_says():
    StatementFactory(slug="same", language="en")
    persian = StatementFactory(slug="same", language="fa")

    assert statement_for(["/blog/same"]).ambiguous
    assert statement_for(["/fa/blog/same"]).statement == persian
