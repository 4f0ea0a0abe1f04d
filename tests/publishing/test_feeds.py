"""Atom and RSS feeds of statements, topics and comments, read back the way
feed readers read them (feedparser) and checked against what each format
requires."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone

from communique.comments.models import Comment
from communique.publishing import services
from communique.publishing.models import Statement
from tests.factories import CommentFactory, StatementFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)
RFC822 = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} ")


def site(path: str = "/") -> str:
    return settings.COMMUNIQUE_SITE_URL.rstrip("/") + path


def check_atom(body: bytes) -> ET.Element:
    """What RFC 4287 requires of a feed and its entries, and what we promise
    on top: absolute links on the site's address, RFC 3339 dates."""
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    assert root.get(XML_LANG)
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}").text, name
    assert root.find(f"{ATOM}author/{ATOM}name").text
    assert RFC3339.match(root.find(f"{ATOM}updated").text)
    own = root.find(f"{ATOM}link[@rel='self']").get("href")
    assert own.startswith(site())
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(site())
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, name
        for name in ("updated", "published"):
            assert RFC3339.match(entry.find(f"{ATOM}{name}").text)
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link.startswith(site())
        assert entry.find(f"{ATOM}id").text.startswith(site())
    return root


def check_rss(body: bytes) -> ET.Element:
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    channel = ET.fromstring(body).find("channel")
    for name in ("title", "link", "description", "language"):
        assert channel.find(name).text, name
    for item in channel.findall("item"):
        assert item.find("title").text
        assert item.find("link").text.startswith(site())
        assert RFC822.match(item.find("pubDate").text)
    return channel


def test_site_feed_has_the_newest_statements_in_full(client):
    old = StatementFactory(
        title="Older", published_at=timezone.now() - dt.timedelta(days=2)
    )
    new = StatementFactory(
        title="Newer",
        body_source="A paragraph with **weight**.",
        signature="The Council",
    )
    StatementFactory(title="A draft", status="draft", published_at=None)
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = check_atom(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Newer", "Older"]
    first = entries[0]
    assert "<strong>weight</strong>" in first.find(f"{ATOM}content").text
    assert first.find(f"{ATOM}content").get("type") == "html"
    assert first.find(f"{ATOM}summary").text == new.excerpt
    assert first.find(f"{ATOM}author/{ATOM}name").text == "The Council"
    assert first.find(f"{ATOM}link").get("href") == site(new.get_absolute_url())
    assert old.title in response.content.decode()


def test_feed_holds_the_newest_twenty(client):
    for n in range(23):
        StatementFactory(published_at=timezone.now() - dt.timedelta(hours=n + 1))
    root = check_atom(client.get("/feed/").content)
    assert len(root.findall(f"{ATOM}entry")) == 20


def test_rss_feed(client):
    statement = StatementFactory(body_source="Text with *emphasis*.")
    response = client.get("/feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = check_rss(response.content)
    item = channel.find("item")
    assert "<em>emphasis</em>" in item.find("description").text
    assert item.find("guid").text == site(statement.get_absolute_url())


def test_persian_feed_has_its_language_and_direction(client):
    StatementFactory(title="In English")
    StatementFactory(title="بیانیه", language="fa", body_source="متن بیانیه.")
    response = client.get("/fa/feed/")
    root = check_atom(response.content)
    assert root.get(XML_LANG) == "fa"
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "بیانیه"
    assert entry.get(XML_LANG) == "fa"
    content = entry.find(f"{ATOM}content").text
    assert content == '<div dir="rtl" lang="fa"><p>متن بیانیه.</p>\n</div>'
    assert (
        content.removeprefix('<div dir="rtl" lang="fa">').removesuffix("</div>")
        == Statement.objects.get(language="fa").body_html
    )
    assert entry.find(f"{ATOM}link").get("href").startswith(site("/fa/statements/"))


def test_feed_of_every_language(client):
    StatementFactory(title="بیانیه", language="fa", slug="one")
    StatementFactory(title="In English", slug="two")
    root = check_atom(client.get("/feed/all/").content)
    languages = {e.get(XML_LANG) for e in root.findall(f"{ATOM}entry")}
    assert languages == {"en", "fa"}
    check_rss(client.get("/feed/all/rss/").content)


def test_feeds_are_public_and_answer_conditional_requests(client):
    StatementFactory()
    response = client.get("/feed/")
    assert "public" in response["Cache-Control"]
    assert "Set-Cookie" not in response
    assert client.cookies == {} or not client.cookies
    again = client.get("/feed/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    since = client.get("/feed/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304


def test_feed_changes_when_a_statement_is_published(
    client, django_capture_on_commit_callbacks
):
    StatementFactory(title="First")
    first = client.get("/feed/")
    with django_capture_on_commit_callbacks(execute=True):
        draft = StatementFactory(title="Second", status="draft", published_at=None)
        services.publish_statements(Statement.objects.filter(pk=draft.pk))
    second = client.get("/feed/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert b"Second" in second.content


@pytest.mark.parametrize(
    ("address", "target"),
    [
        ("/atom/", "/feed/"),
        ("/rss/", "/feed/rss/"),
        ("/statements/feed/", "/feed/"),
        ("/fa/rss/", "/fa/feed/rss/"),
    ],
)
def test_where_people_look_for_a_feed(client, address, target):
    response = client.get(address)
    assert response.status_code in (301, 302)
    assert response["Location"] == target


def test_pages_announce_their_feeds(client):
    statement = StatementFactory()
    page = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert 'href="/feed/"' in page
    statement_page = client.get(statement.get_absolute_url()).content.decode()
    comments_feed = f"{statement.get_absolute_url()}feed/"
    assert f'href="{comments_feed}"' in statement_page
    assert statement_page.count(f'href="{comments_feed}"') == 2  # head, and a link


def test_comment_feed_of_a_statement(client, statement):
    shown = CommentFactory(statement=statement, body_source="A kind word.")
    CommentFactory(statement=statement, status=Comment.Status.PENDING)
    CommentFactory(body_source="Under another statement.")
    response = client.get(f"{statement.get_absolute_url()}feed/")
    root = check_atom(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}summary").text == shown.body_html
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == shown.author_name
    assert entries[0].find(f"{ATOM}link").get("href") == site(shown.get_absolute_url())
    check_rss(client.get(f"{statement.get_absolute_url()}feed/rss/").content)


def hidden_after_a_comment() -> Statement:
    statement = StatementFactory()
    CommentFactory(statement=statement, body_source="Not to be shown.")
    Statement.objects.filter(pk=statement.pk).update(
        commenting=Statement.Commenting.HIDDEN
    )
    statement.refresh_from_db()
    return statement


def test_comment_feed_of_hidden_comments_is_not_found(client):
    hidden = hidden_after_a_comment()
    assert client.get(f"{hidden.get_absolute_url()}feed/").status_code == 404
    draft = StatementFactory(status="draft", published_at=None)
    assert client.get(f"{draft.get_absolute_url()}feed/").status_code == 404
    assert client.get("/statements/no-such-thing/feed/").status_code == 404


def test_comments_feed_of_the_site(client):
    shown = CommentFactory(body_source="Seen by all.")
    hidden_after_a_comment()
    CommentFactory(status=Comment.Status.PENDING, body_source="Waiting.")
    response = client.get("/comments/feed/")
    root = check_atom(response.content)
    bodies = [e.find(f"{ATOM}summary").text for e in root.findall(f"{ATOM}entry")]
    assert bodies == [shown.body_html]
    check_rss(client.get("/comments/feed/rss/").content)


def test_feed_escapes_what_authors_wrote(client):
    StatementFactory(title='Title with <b> & "quotes"', signature="<script>x</script>")
    response = client.get("/feed/")
    root = check_atom(response.content)
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == 'Title with <b> & "quotes"'
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "<script>x</script>"
    assert b"<script>" not in response.content
