"""The static copy's edges: clear errors instead of tracebacks, earlier
versions of a statement, hostile addresses, and the link rewriting alone."""

from __future__ import annotations

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command

from communique.mirrors.export import addresses
from communique.mirrors.export.links import rewrite_page
from tests.factories import StatementFactory
from tests.mirrors.conftest import SITE_URL


def export(*args: str) -> str:
    out = StringIO()
    call_command("export_static", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def small_site(db, settings):
    settings.COMMUNIQUE_SITE_URL = SITE_URL
    return StatementFactory(title="On the harbour", slug="on-the-harbour")


def test_a_file_where_the_folder_should_be(small_site, tmp_path):
    target = tmp_path / "copy"
    target.write_text("not a folder")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        export(str(target))
    assert target.read_text() == "not a folder"


def test_a_folder_that_cannot_be_made(small_site, tmp_path):
    (tmp_path / "plain-file").write_text("x")
    with pytest.raises(CommandError, match="Cannot write the copy in"):
        export(str(tmp_path / "plain-file" / "copy"))


@pytest.mark.parametrize("site_url", ["", "http://127.0.0.1:8000", "localhost"])
def test_the_public_address_must_be_set(small_site, tmp_path, settings, site_url):
    settings.COMMUNIQUE_SITE_URL = site_url
    with pytest.raises(CommandError, match="COMMUNIQUE_SITE_URL"):
        export(str(tmp_path / "copy"))
    assert not (tmp_path / "copy").exists()


@pytest.mark.parametrize(
    "base_url",
    ["cdn.example.net", "ftp://cdn.example.net/", "https://", "https://x/?a=1"],
)
def test_a_base_url_that_is_no_web_address(small_site, tmp_path, base_url):
    with pytest.raises(CommandError, match="--base-url"):
        export(str(tmp_path / "copy"), "--base-url", base_url)


def test_checking_a_copy_that_does_not_exist(small_site, tmp_path):
    with pytest.raises(CommandError, match="There is no copy to check"):
        export(str(tmp_path / "nowhere"), "--check")
    assert not (tmp_path / "nowhere").exists()


def test_files_the_export_did_not_write_are_left_alone(small_site, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "notes.txt").write_text("mine")
    export(str(copy))
    export(str(copy))
    assert (copy / "notes.txt").read_text() == "mine"


def test_earlier_versions_are_copied(
    small_site, tmp_path, django_capture_on_commit_callbacks
):
    from communique.publishing import services

    small_site.body_source = "A corrected first paragraph."
    with django_capture_on_commit_callbacks(execute=True):
        services.save_statement(statement=small_site)
    copy = tmp_path / "copy"
    export(str(copy))
    page = BeautifulSoup(
        (copy / "statements/on-the-harbour/index.html").read_text(), "html.parser"
    )
    link = page.find("a", string="earlier versions")["href"]
    assert link == "versions/index.html"
    versions = copy / "statements/on-the-harbour/versions"
    assert (versions / "index.html").is_file()
    assert list(versions.glob("*/index.html"))


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/statements/x/", "page=../../etc"),
        ("/statements/x/", "page=2&q=1"),
        ("/statements/x/", "order=NEWEST"),
        ("/search/", "q=x"),
        ("/comments/new/1/", ""),
        ("/admin/", ""),
        ("/statements/%2E%2E/", ""),
        ("statements/x/", ""),
    ],
)
def test_addresses_outside_the_copy(db, path, query):
    assert addresses.address_of(path, query) is None


def test_page_one_is_the_page_itself(db):
    first = addresses.address_of("/statements/x/", "page=1")
    assert first == addresses.Address("/statements/x/")
    later = addresses.address_of("/statements/x/", "page=3&order=newest")
    assert addresses.file_name(later, "text/html; charset=utf-8") == (
        "statements/x/order/newest/page/3/index.html"
    )
    feed = addresses.Address("/fa/feed/")
    assert addresses.file_name(feed, "application/atom+xml") == "fa/feed/index.xml"


def test_rewriting_keeps_the_markup_it_does_not_change():
    html = (
        '<!DOCTYPE html>\n<html lang="fa" dir="rtl"><head><!-- note -->'
        '<link rel="stylesheet" href="/s.css"></head><body>'
        "<p title='a &amp; b'>x &amp; y &#x27;z&#x27;</p><br/>"
        '<form action="/search/"><input name="q"></form>'
        '<section class="comment-form"><form method="post"></form>'
        "<section>nested</section></section>"
        '<p class="comment-links"><a href="/comments/1/reply/">Reply</a></p>'
        '<script src="https://elsewhere.example/x.js"></script><p>end</p>'
        "</body></html>"
    )

    def link_for(value: str, resource: bool):
        if value.startswith("https://"):
            return None if resource else value
        return "copy" + value

    out = rewrite_page(
        html,
        link_for=link_for,
        comment_elsewhere=lambda language: f"<p>[{language}]</p>",
    )
    assert out == (
        '<!DOCTYPE html>\n<html lang="fa" dir="rtl"><head><!-- note -->'
        '<link rel="stylesheet" href="copy/s.css"></head><body>'
        "<p title='a &amp; b'>x &amp; y &#x27;z&#x27;</p><br/>"
        "<p>[fa]</p><p>end</p></body></html>"
    )


def test_an_unchanged_site_gives_the_same_bytes_without_the_page_cache(
    small_site, tmp_path, settings
):
    """Every page rendered afresh (no cached copy to hide the difference) is
    the same again: a feed with no entries yet keeps its date."""
    settings.COMMUNIQUE_PAGE_CACHE = False
    copy = tmp_path / "copy"
    export(str(copy))
    feed = copy / "statements/on-the-harbour/feed/index.xml"
    assert "<entry>" not in feed.read_text()
    assert " 0 written," in export(str(copy))
