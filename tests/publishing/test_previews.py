"""What a shared link and a crawler see: the canonical address, OpenGraph
and Twitter card tags, schema.org JSON-LD, the sitemap, robots.txt and the
icon."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from communique.publishing import services
from communique.publishing.models import Statement, Topic
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db

ISO_8601 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$"
)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
# The OpenGraph protocol's required properties, and what an article adds.
OG_REQUIRED = ("og:title", "og:type", "og:image", "og:url")
# What a NewsArticle needs to be understood, and each value's type.
NEWS_ARTICLE = {
    "headline": str,
    "datePublished": str,
    "dateModified": str,
    "author": dict,
    "publisher": dict,
    "inLanguage": str,
    "image": list,
    "url": str,
}


def site(path: str) -> str:
    return settings.COMMUNIQUE_SITE_URL.rstrip("/") + path


def head_of(client, statement: Statement) -> BeautifulSoup:
    response = client.get(statement.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").head


def meta(head, key: str) -> list[str]:
    found = head.find_all("meta", attrs={"property": key}) or head.find_all(
        "meta", attrs={"name": key}
    )
    return [tag["content"] for tag in found]


def json_ld(head) -> dict:
    (script,) = head.find_all("script", type="application/ld+json")
    return json.loads(script.string)


def test_statement_page_describes_itself_for_previews(client):
    statement = StatementFactory(
        title="On the vote",
        body_source="We ask for a free vote.\n\nAnd more.",
        signature="The Council",
    )
    services.set_topics(
        statement=statement,
        topics=[services.save_topic(topic=Topic(name="Elections", language="en"))],
    )
    head = head_of(client, statement)
    canonical = head.find("link", rel="canonical")["href"]
    assert canonical == site(statement.get_absolute_url())
    for key in OG_REQUIRED:
        assert meta(head, key), key
    assert meta(head, "og:type") == ["article"]
    assert meta(head, "og:title") == ["On the vote"]
    assert meta(head, "og:url") == [canonical]
    assert meta(head, "og:site_name") == [settings.COMMUNIQUE_SITE_NAME]
    assert meta(head, "og:locale") == ["en_US"]
    assert meta(head, "og:description") == [statement.excerpt]
    assert meta(head, "og:image")[0].startswith(site("/static/"))
    assert meta(head, "article:tag") == ["Elections"]
    for key in ("article:published_time", "article:modified_time"):
        assert ISO_8601.match(meta(head, key)[0]), key
    # Twitter's cards read the OpenGraph tags; only the card's kind is theirs.
    assert meta(head, "twitter:card") == ["summary"]


def test_json_ld_is_a_news_article(client):
    statement = StatementFactory(title="On the vote", signature="The Council")
    data = json_ld(head_of(client, statement))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    for key, kind in NEWS_ARTICLE.items():
        assert isinstance(data[key], kind), key
    assert data["headline"] == "On the vote"
    assert data["author"] == {"@type": "Organization", "name": "The Council"}
    assert data["inLanguage"] == "en"
    assert data["url"] == site(statement.get_absolute_url())
    for key in ("datePublished", "dateModified"):
        assert ISO_8601.match(data[key]), key
    assert data["dateModified"] >= data["datePublished"]


def test_json_ld_cannot_be_closed_by_the_title(client):
    statement = StatementFactory(title="</script><script>alert(1)</script>")
    response = client.get(statement.get_absolute_url())
    assert b"</script><script>alert(1)" not in response.content
    head = BeautifulSoup(response.content, "html.parser").head
    assert json_ld(head)["headline"] == "</script><script>alert(1)</script>"


def test_previews_show_the_site_picture(client):
    """Statements have no images (the text formats drop them, so that pages
    load nothing from elsewhere): previews show the site's picture."""
    statement = StatementFactory(
        body_source="![A crowd](https://example.org/crowd.jpg)\n\nText."
    )
    head = head_of(client, statement)
    (image,) = meta(head, "og:image")
    assert image == site("/static/communique/share.png")
    assert finders.find("communique/share.png")
    assert json_ld(head)["image"] == [image]


def test_persian_statement_preview(client):
    english = StatementFactory(title="On the vote", slug="vote")
    persian = StatementFactory(
        title="درباره رأی", language="fa", slug="vote", translation_of=english
    )
    head = head_of(client, persian)
    assert meta(head, "og:locale") == ["fa_IR"]
    assert meta(head, "og:locale:alternate") == ["en_US"]
    assert json_ld(head)["inLanguage"] == "fa"
    assert head.find("link", rel="canonical")["href"] == site("/fa/statements/vote/")


def test_sitemap_lists_published_statements_with_their_translations(client):
    english = StatementFactory(title="On the vote", slug="vote")
    StatementFactory(
        title="درباره رأی", language="fa", slug="vote", translation_of=english
    )
    alone = StatementFactory(title="Alone", slug="alone")
    StatementFactory(title="Draft", slug="draft", status="draft", published_at=None)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    urls = {
        url.find(f"{SITEMAP}loc").text: url for url in root.findall(f"{SITEMAP}url")
    }
    for location in urls:
        assert location.startswith(site("/"))
    assert site("/statements/draft/") not in urls
    vote = urls[site("/statements/vote/")]
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in vote.findall(f"{XHTML}link[@rel='alternate']")
    }
    assert alternates == {
        "en": site("/statements/vote/"),
        "fa": site("/fa/statements/vote/"),
    }
    assert site("/fa/statements/vote/") in urls
    assert not urls[site(alone.get_absolute_url())].findall(f"{XHTML}link")
    lastmod = vote.find(f"{SITEMAP}lastmod").text
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", lastmod)
    for path in ("/", "/fa/", "/archive/", "/fa/archive/", "/topics/"):
        assert site(path) in urls, path


def test_sitemap_lastmod_is_the_last_edit(client):
    statement = StatementFactory(
        published_at=timezone.now() - dt.timedelta(days=400), slug="old"
    )
    Statement.objects.filter(pk=statement.pk).update(
        updated=timezone.now() - dt.timedelta(days=10)
    )
    root = ET.fromstring(client.get("/sitemap.xml").content)
    for url in root.findall(f"{SITEMAP}url"):
        if url.find(f"{SITEMAP}loc").text == site("/statements/old/"):
            expected = (timezone.now() - dt.timedelta(days=10)).date().isoformat()
            assert url.find(f"{SITEMAP}lastmod").text == expected
            break
    else:
        pytest.fail("the statement is not in the sitemap")


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {site('/sitemap.xml')}" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /*/admin/" in lines  # /fa/admin/
    assert "Disallow: /" not in lines


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/communique/favicon.svg"' in page
