"""What a search finds: every word of the query in a title, body or
signature, only among what readers may see, however a Persian word is typed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from communique.comments.models import Comment
from communique.publishing import services
from communique.publishing.models import Statement
from tests.factories import CommentFactory, StatementFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db

ZWNJ = "\u200c"


@pytest.fixture
def harbour():
    return StatementFactory(
        title="On the harbour",
        body_source=(
            "The dockers' *assembly* met on Tuesday.\n\nWages were the question."
        ),
        signature="Council of Riverside Tenants",
    )


@pytest.mark.parametrize(
    "query",
    [
        "harbour",  # title
        "HARBOUR",  # any case
        "assembly",  # body, through markdown
        "wages question",  # body, two words of the second paragraph
        "riverside",  # signature
        "harbour tenants",  # title and signature together
        "assemblies",  # an English word's other form
    ],
)
def test_finds_a_statement_by_a_word_of_its_title_body_or_signature(
    found, harbour, query
):
    assert found(query) == ["On the harbour"]


@pytest.mark.parametrize("query", ["harbour strike", "nothing", "tuesdays wages x"])
def test_every_word_must_match(search, harbour, query):
    response = search(query)
    assert response.status_code == 200
    assert not soup_of(response).select(".search-results")
    assert "No statement contains every word of" in response.content.decode()


def test_the_body_is_searched_beyond_its_excerpt(found):
    StatementFactory(title="Long", body_source="filler " * 300 + "needle")
    assert found("needle") == ["Long"]


PERSIAN_TITLE = "بیانیهٔ کانون نویسندگان درباره‌ی آزادی کتاب"


@pytest.mark.parametrize(
    "query",
    [
        "کتاب",  # as written
        "كتاب",  # Arabic kaf
        "بيانيه",  # Arabic yeh, no hamza above the heh
        f"درباره{ZWNJ}ی",  # with the half-space, as written
        "دربارهی",  # the half-space left out
        f"نویسند{ZWNJ}گان",  # a half-space where the text has none
        "آزادی كتاب",  # two words, one with an Arabic letter
    ],
)
def test_persian_spellings_meet(found, query):
    StatementFactory(
        title=PERSIAN_TITLE, body_source="متن بیانیه.", language="fa", slug="bayanie"
    )
    assert found(query) == [PERSIAN_TITLE]


def test_persian_text_written_with_arabic_letters_is_found_by_persian_ones(found):
    StatementFactory(title="كتاب", body_source="مي‌خواهم", language="fa", slug="ketab")
    assert found("میخواهم") == ["كتاب"]
    assert found("کتاب") == ["كتاب"]


def test_only_what_readers_may_see_is_found(found):
    StatementFactory(title="Visible zebra")
    StatementFactory(title="Draft zebra", status=Statement.Status.DRAFT)
    StatementFactory(
        title="Scheduled zebra",
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    trashed = StatementFactory(title="Trashed zebra")
    services.trash_statements(Statement.objects.filter(pk=trashed.pk))
    assert found("zebra") == ["Visible zebra"]


def test_the_readers_language_decides_the_order(client):
    fa = StatementFactory(title="Solidarity", language="fa", slug="solidarity-fa")
    en = StatementFactory(title="Solidarity", language="en", slug="solidarity-en")

    def order(language):
        with translation.override(language):
            url = reverse("search:search")
        response = client.get(url, {"q": "solidarity"})
        return [
            link["href"] for link in soup_of(response).select(".search-results h2 a")
        ]

    assert order("en") == [en.get_absolute_url(), fa.get_absolute_url()]
    assert order("fa") == [fa.get_absolute_url(), en.get_absolute_url()]
    results = soup_of(client.get(reverse("search:search"), {"q": "solidarity"}))
    directions = [
        (li["lang"], li["dir"]) for li in results.select(".search-results li")
    ]
    assert directions == [("en", "ltr"), ("fa", "rtl")]


def test_a_title_match_ranks_above_a_body_match(found):
    StatementFactory(title="Other", body_source="about the river and more")
    StatementFactory(title="The river", body_source="unrelated words")
    assert found("river") == ["The river", "Other"]


def test_comments_tab_finds_only_comments_readers_can_see(search, moderator):
    open_statement = StatementFactory(title="Open")
    hidden = StatementFactory(title="Hidden comments")
    draft = StatementFactory(title="Draft")
    CommentFactory(statement=open_statement, body_source="shown lighthouse")
    CommentFactory(
        statement=open_statement,
        body_source="pending lighthouse",
        status=Comment.Status.PENDING,
    )
    CommentFactory(
        statement=open_statement,
        body_source="spam lighthouse",
        status=Comment.Status.SPAM,
    )
    CommentFactory(statement=hidden, body_source="hidden lighthouse")
    CommentFactory(statement=draft, body_source="draft lighthouse")
    Statement.objects.filter(pk=hidden.pk).update(
        commenting=Statement.Commenting.HIDDEN
    )
    services.unpublish_statements(Statement.objects.filter(pk=draft.pk))
    response = search("lighthouse", kind="comments")
    assert response.status_code == 200
    snippets = [p.get_text() for p in soup_of(response).select(".snippet")]
    assert snippets == ["shown lighthouse"]
    assert "1 result" in response.content.decode()


def test_comments_tab_says_when_nothing_is_found(search):
    StatementFactory(title="lighthouse")
    response = search("lighthouse", kind="comments")
    assert "No comment contains every word of" in response.content.decode()


def test_comments_are_not_found_in_the_statements_tab(found):
    CommentFactory(body_source="only in a comment: periscope")
    assert found("periscope") == []
    assert len(found("periscope", "comments")) == 1
