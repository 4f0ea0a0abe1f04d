"""Pages of comments under a statement: numbers, the newest, the order, the
links that skip past them, and permalinks that say whose comment they are."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from communique.comments.models import Comment
from communique.environment import ConfigError, read_choice
from communique.pagecache.keys import READ_PARAMETERS, read_query
from tests.factories import CommentFactory, StatementFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db

VCL = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "varnish.vcl"


def comment_ids(response) -> list[int]:
    return [
        int(article["id"].removeprefix("comment-"))
        for article in soup_of(response).select("#comments article.comment")
    ]


def page_numbers(response) -> list[str]:
    """The row of page numbers as shown: numbers, gaps ("…"), the current in []."""
    shown = []
    for item in soup_of(response).select("#comments .comment-pages li"):
        link = item.find("a")
        if link is None:
            shown.append(item.get_text(strip=True))
        elif link.get("rel"):
            continue
        elif link.get("aria-current") == "page":
            shown.append(f"[{link.get_text()}]")
        else:
            shown.append(link.get_text())
    return shown


@pytest.fixture
def persian_statement():
    return StatementFactory(title="صفحه‌های نظرها", language="fa")


@pytest.fixture
def threads(statement, settings):
    """Twelve threads, one a page; the fifth has a reply."""
    settings.COMMUNIQUE_COMMENTS_PER_PAGE = 1
    roots = [CommentFactory(statement=statement) for _ in range(12)]
    CommentFactory(statement=statement, parent=roots[4])
    return roots


def test_page_numbers_are_elided_around_the_current_page(client, statement, threads):
    url = statement.get_absolute_url()
    response = client.get(url, {"page": 6})
    assert page_numbers(response) == ["1", "…", "4", "5", "[6]", "7", "8", "…", "12"]
    assert page_numbers(client.get(url)) == ["[1]", "2", "3", "…", "12"]
    links = soup_of(response).select("#comments .comment-pages a")
    addresses = {link.get_text(): link["href"] for link in links}
    assert addresses["1"] == f"{url}#comments"  # page 1 has one address
    assert addresses["12"] == f"{url}?page=12#comments"
    assert soup_of(response).select_one(".comment-pages [rel=prev]")["href"] == (
        f"{url}?page=5#comments"
    )


def test_page_numbers_follow_the_language(client, persian_statement, settings):
    settings.COMMUNIQUE_COMMENTS_PER_PAGE = 1
    for _ in range(3):
        CommentFactory(statement=persian_statement)
    response = client.get(persian_statement.get_absolute_url(), {"page": "2"})
    assert page_numbers(response) == ["۱", "[۲]", "۳"]
    link = soup_of(response).select(".comment-pages a:not([rel])")[-1]
    assert link["href"].endswith("?page=3#comments")


def test_no_page_numbers_for_one_page(client, statement):
    CommentFactory(statement=statement)
    assert page_numbers(client.get(statement.get_absolute_url())) == []


def test_newest_comments_are_one_link_away(client, statement, threads):
    url = statement.get_absolute_url()
    newest = soup_of(client.get(url)).find("a", string="Newest comments")
    assert newest["href"] == f"{url}?page=12#comment-{threads[-1].pk}"
    response = client.get(newest["href"])
    assert comment_ids(response) == [threads[-1].pk]
    assert soup_of(response).find("a", string="Newest comments") is None


def test_newest_first_on_request(client, statement, threads):
    url = statement.get_absolute_url()
    reply = Comment.objects.get(parent=threads[4])
    first = client.get(url, {"order": "newest"})
    assert comment_ids(first) == [threads[-1].pk]
    assert comment_ids(client.get(url, {"order": "newest", "page": 8})) == [
        threads[4].pk,
        reply.pk,
    ]
    page = soup_of(first)
    # Links keep the reader's order; page 2 holds earlier comments.
    assert page.select_one(".comment-pages [rel=next]")["href"] == (
        f"{url}?order=newest&page=2#comments"
    )
    assert page.select_one(".comment-pages [rel=next]").get_text() == (
        "Earlier comments"
    )
    assert page.find("a", string="Show oldest first")["href"] == f"{url}#comments"
    assert page.find("a", string="Newest comments") is None


def test_the_site_can_show_newest_first(client, statement, threads, settings):
    settings.COMMUNIQUE_COMMENTS_ORDER = "newest"
    url = statement.get_absolute_url()
    page = client.get(url)
    assert comment_ids(page) == [threads[-1].pk]
    assert soup_of(page).find("a", string="Show oldest first")["href"] == (
        f"{url}?order=oldest#comments"
    )
    assert comment_ids(client.get(url, {"order": "oldest"})) == [threads[0].pk]
    # Permalinks find the page in the site's order.
    response = client.get(reverse("comments:permalink", args=[threads[0].pk]))
    assert response["Location"] == f"{url}?page=12#comment-{threads[0].pk}"


@pytest.mark.parametrize("order", ["Newest", "latest", "newest ", "1", "oldest,newest"])
def test_an_unknown_order_is_no_page(client, statement, order):
    CommentFactory(statement=statement)
    response = client.get(statement.get_absolute_url(), {"order": order})
    assert response.status_code == 404


def test_an_empty_order_is_the_sites(client, statement, threads):
    response = client.get(statement.get_absolute_url(), {"order": ""})
    assert comment_ids(response) == [threads[0].pk]


def test_the_order_is_kept_through_a_redirect(client, persian_statement):
    response = client.get(
        f"/statements/{persian_statement.slug}/", {"order": "newest", "page": "2"}
    )
    assert response.status_code == 301
    assert response["Location"].endswith("?order=newest&page=2")


def test_caches_name_a_page_by_its_order():
    assert read_query("utm_source=x&order=newest&page=2") == "order=newest&page=2"
    assert read_query("order=newest") != read_query("")
    # Varnish keeps the same parameters as Communiqué's own cache.
    kept = re.search(r"\(\?!\(\?:([a-z|]+)\)=\)", VCL.read_text()).group(1)
    assert sorted(kept.split("|")) == sorted(READ_PARAMETERS)


def test_add_a_comment_skips_past_the_comments(client, statement):
    quiet = StatementFactory()
    page = soup_of(client.get(quiet.get_absolute_url()))
    assert page.find("a", href="#comment-form") is None  # nothing to skip
    CommentFactory(statement=statement)
    page = soup_of(client.get(statement.get_absolute_url()))
    skip = page.select_one("#comments .comment-tools a")
    assert (skip.get_text(), skip["href"]) == ("Add a comment", "#comment-form")
    assert skip.sourceline < page.select_one("#comments article").sourceline
    assert page.find(id="comment-form").find("form") is not None


def test_no_skip_link_when_comments_are_closed(client, statement):
    CommentFactory(statement=statement)
    statement.commenting = statement.Commenting.CLOSED
    statement.save()
    page = soup_of(client.get(statement.get_absolute_url()))
    assert page.find("a", href="#comment-form") is None


def test_permalinks_say_whose_comment_they_are(client, statement):
    plain = CommentFactory(statement=statement, author_name="Marta K.")
    linked = CommentFactory(statement=statement, author_name="Jonas")
    Comment.objects.filter(pk=linked.pk).update(homepage="https://example.org/j")
    page = soup_of(client.get(statement.get_absolute_url()))
    link = page.select_one(f"#comment-{plain.pk} .comment-permalink")
    date = link.find("time").get_text()
    assert date
    assert link.get_text(" ", strip=True) == f"Marta K. {date}"
    # A name that links to a homepage cannot sit in another link: a label.
    link = page.select_one(f"#comment-{linked.pk} .comment-permalink")
    assert link.find(class_="comment-author") is None
    assert link["aria-label"] == f"Comment by Jonas, {link.get_text(strip=True)}"


def test_environment_reads_the_order():
    assert read_choice({}, "COMMENTS_ORDER", choices=("a", "b"), default="a") == "a"
    env = {"COMMUNIQUE_COMMENTS_ORDER": " Newest "}
    order = read_choice(env, "COMMENTS_ORDER", choices=("oldest", "newest"), default="")
    assert order == "newest"
    with pytest.raises(ConfigError, match="COMMUNIQUE_COMMENTS_ORDER"):
        read_choice(
            {"COMMUNIQUE_COMMENTS_ORDER": "random"},
            "COMMENTS_ORDER",
            choices=("oldest", "newest"),
            default="oldest",
        )
