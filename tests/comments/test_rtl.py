"""Names and text written by readers, in either direction, cannot reorder the
words around them; dates and counts follow the page's language."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from communique.comments import services
from communique.comments.models import Comment
from communique.comments.views import moderation
from tests.factories import CommentFactory, StatementFactory, UserFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db

# U+202E RIGHT-TO-LEFT OVERRIDE: without isolation it would turn the rest of
# the line around.
OVERRIDING_NAME = "\u202emaerc eci"


def soup_of_html(html):
    return BeautifulSoup(html, "html.parser")


def isolated(element) -> bool:
    """``element`` or an ancestor is set apart from the text around it."""
    for node in [element, *element.parents]:
        if node.name == "bdi" or node.get("dir") == "auto":
            return True
    return False


def elements_showing(page, text):
    return [string.parent for string in page.find_all(string=text)]


@pytest.fixture
def persian_statement():
    return StatementFactory(title="همبستگی با کارگران بندر", language="fa")


def test_names_are_isolated_on_the_statement_page(client, statement):
    parent = CommentFactory(statement=statement, author_name=OVERRIDING_NAME)
    CommentFactory(statement=statement, parent=parent, author_name="Parvin")
    page = soup_of(client.get(statement.get_absolute_url()))
    shown = elements_showing(page, OVERRIDING_NAME)
    # By the comment, and in its reply's "in reply to".
    assert len(shown) == 2
    assert all(isolated(element) for element in shown)
    author = page.find(id=f"comment-{parent.pk}").find(class_="comment-author")
    assert author.name == "bdi"
    body = page.find(id=f"comment-{parent.pk}").find(class_="comment-body")
    assert body["dir"] == "auto"


def test_the_visually_hidden_reply_label_names_the_commenter(client, statement):
    CommentFactory(statement=statement, author_name=OVERRIDING_NAME)
    page = soup_of(client.get(statement.get_absolute_url()))
    hidden = page.select_one(".comment-links .visually-hidden")
    assert OVERRIDING_NAME in hidden.get_text()


def test_comment_dates_and_counts_follow_the_language(statement):
    comment = CommentFactory(statement=statement)
    Comment.objects.filter(pk=comment.pk).update(
        created=dt.datetime(2022, 1, 22, 12, 5, tzinfo=dt.UTC)
    )
    comment.refresh_from_db()
    context = {"comment": comment, "replies_allowed": False}
    with timezone.override("UTC"):
        english = soup_of_html(render_to_string("comments/_comment.html", context))
        with translation.override("fa"):
            persian = soup_of_html(render_to_string("comments/_comment.html", context))
    assert english.find("time").get_text() == "January 22, 2022, 12:05"
    assert persian.find("time").get_text() == "۲ بهمن ۱۴۰۰، ۱۲:۰۵"
    assert persian.find("time")["datetime"] == english.find("time")["datetime"]
    assert persian.find("time")["datetime"].startswith("2022-01-22T12:05")


@pytest.mark.parametrize(("language", "heading"), [("en", "3 comments"), ("fa", "۳")])
def test_comment_count_heading_follows_the_language(language, heading):
    context = {
        "comments_shown": True,
        "comments_open": True,
        "comment_count": 3,
        "comment_articles": "",
        "comment_page": Paginator(range(3), 10).page(1),
        "comment_tools": "",
        "comment_page_links": None,
        "comment_form": None,
        "comment_form_html": "<form></form>",
    }
    with translation.override(language):
        section = soup_of_html(render_to_string("comments/_section.html", context))
    shown = section.find(id="comments-heading").get_text()
    assert heading in shown
    assert language == "en" or "3" not in shown


def test_queue_isolates_names_and_titles(client, moderator, persian_statement):
    comment = CommentFactory(
        statement=persian_statement,
        author_name=OVERRIDING_NAME,
        body_source="A comment in English under a Persian statement.",
        status="pending",
    )
    client.force_login(moderator)
    page = soup_of(client.get(reverse("comments:moderation")))
    shown = elements_showing(page, OVERRIDING_NAME)
    assert len(shown) == 2  # the checkbox's label and the byline
    assert all(isolated(element) for element in shown)
    item = page.find("input", attrs={"value": str(comment.pk)}).find_parent("li")
    title = item.find("a", string=persian_statement.title)
    assert (title["lang"], title["dir"]) == ("fa", "rtl")
    assert item.find(class_="comment-body")["dir"] == "auto"


def test_log_isolates_names_and_titles(client, moderator, persian_statement):
    comment = CommentFactory(
        statement=persian_statement, author_name=OVERRIDING_NAME, status="pending"
    )
    services.approve_comments(
        Comment.objects.filter(pk=comment.pk), moderator=moderator
    )
    client.force_login(moderator)
    page = soup_of(client.get(reverse("comments:moderation_log")))
    shown = elements_showing(page, OVERRIDING_NAME)
    assert shown
    assert all(isolated(element) for element in shown)
    title = page.find("a", string=persian_statement.title)
    assert (title["lang"], title["dir"]) == ("fa", "rtl")
    assert all(
        isolated(element) for element in elements_showing(page, moderator.username)
    )


def test_log_arrow_points_the_way_the_page_reads(client, moderator, statement):
    comment = CommentFactory(statement=statement, status="pending")
    services.approve_comments(
        Comment.objects.filter(pk=comment.pk), moderator=moderator
    )
    client.force_login(moderator)
    cells = soup_of(client.get(reverse("comments:moderation_log"))).select("td")
    assert "→" in cells[-1].get_text()
    with translation.override("fa"):
        response = client.get(reverse("comments:moderation_log"))
    assert "←" in soup_of(response).select("td")[-1].get_text()


@pytest.mark.parametrize("number", ["2", "۲", "٢"])
def test_queue_reads_page_numbers_in_any_digits(client, moderator, monkeypatch, number):
    monkeypatch.setattr(moderation, "PER_PAGE", 1)
    older = CommentFactory(status="pending", author_name="Older")
    Comment.objects.filter(pk=older.pk).update(
        created=timezone.now() - dt.timedelta(hours=1)
    )
    CommentFactory(status="pending", author_name="Newer")
    client.force_login(moderator)
    page = soup_of(client.get(reverse("comments:moderation"), {"page": number}))
    names = [
        name.get_text() for name in page.select(".moderation-meta .comment-author")
    ]
    assert names == ["Older"]


def test_comment_pages_read_persian_digits(client, statement, settings):
    settings.COMMUNIQUE_COMMENTS_PER_PAGE = 1
    first = CommentFactory(statement=statement)
    second = CommentFactory(statement=statement)
    page = soup_of(client.get(statement.get_absolute_url(), {"page": "۲"}))
    assert page.find(id=f"comment-{second.pk}") is not None
    assert page.find(id=f"comment-{first.pk}") is None


def test_admin_comment_list_isolates_what_readers_wrote(
    client, admin_user, persian_statement
):
    CommentFactory(statement=persian_statement, author_name=OVERRIDING_NAME)
    client.force_login(admin_user)
    page = soup_of(client.get(reverse("admin:comments_comment_changelist")))
    shown = elements_showing(page, OVERRIDING_NAME)
    assert shown
    assert all(isolated(element) for element in shown)
    title = page.find(string=persian_statement.title).parent
    assert (title.name, title["lang"], title["dir"]) == ("span", "fa", "rtl")


def test_admin_log_list_isolates_moderators(client, admin_user):
    moderator = UserFactory(username="\u202erotaredom")
    comment = CommentFactory(status="pending")
    services.approve_comments(
        Comment.objects.filter(pk=comment.pk), moderator=moderator
    )
    client.force_login(admin_user)
    page = soup_of(client.get(reverse("admin:comments_moderationaction_changelist")))
    shown = elements_showing(page, moderator.username)
    assert shown
    assert all(isolated(element) for element in shown)


def test_readers_write_in_their_own_direction(client, statement):
    form = soup_of(client.get(statement.get_absolute_url())).find(id="comment-form")
    for name in ("author_name", "subject", "body"):
        field = form.find(attrs={"name": name})
        if field is not None:  # the subject may be switched off
            assert field["dir"] == "auto", name
    assert form.find(attrs={"name": "body"})["dir"] == "auto"
