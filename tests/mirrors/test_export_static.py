"""`communique export_static DIR`: the demo site as files that work from any
address and from file://, with nothing fetched from any other host."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from communique.mirrors.export.manifest import MANIFEST_NAME
from communique.publishing.models import Statement
from tests.mirrors.conftest import SITE_URL

PERSIAN_SLUG = "ما-از-انتشار-باز-نمی‌ایستیم"
MANY_COMMENTS = "statements/lowmarsh-teachers-stand-with-dismissed-colleagues"
# Attributes whose address the browser fetches without a click.
RESOURCES = {"img": "src", "script": "src", "source": "src", "iframe": "src"}
RESOURCE_RELS = {"stylesheet", "icon", "preload", "modulepreload"}


def export(directory: Path, *args: str, out: StringIO | None = None) -> str:
    out = out or StringIO()
    call_command("export_static", str(directory), *args, stdout=out)
    return out.getvalue()


def html_files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def internal_links(page: BeautifulSoup):
    """Each href, src and action that stays in the copy."""
    for tag in page.find_all(True):
        for attribute in ("href", "src", "action"):
            value = tag.get(attribute)
            if value is None or urlsplit(value).scheme:
                continue
            yield value


def test_every_page_is_a_file(demo_site, copy_dir):
    output = export(copy_dir)
    assert " 0 unchanged, 0 removed." in output
    expected = [
        "index.html",
        "fa/index.html",
        "archive/index.html",
        "archive/2025/index.html",
        "archive/2025/2/index.html",
        "fa/archive/index.html",
        "topics/index.html",
        "topics/education/index.html",
        "fa/topics/index.html",
        f"{MANY_COMMENTS}/index.html",
        f"{MANY_COMMENTS}/page/2/index.html",
        f"{MANY_COMMENTS}/page/7/index.html",
        f"{MANY_COMMENTS}/order/newest/index.html",
        f"{MANY_COMMENTS}/order/newest/page/2/index.html",
        f"{MANY_COMMENTS}/feed/index.xml",
        f"fa/statements/{PERSIAN_SLUG}/index.html",
        "feed/index.xml",
        "feed/rss/index.xml",
        "fa/feed/index.xml",
        "comments/feed/index.xml",
        "sitemap.xml",
        "robots.txt",
        "favicon.ico",
        "static/communique/site.css",
        "static/communique/favicon.svg",
    ]
    missing = [name for name in expected if not (copy_dir / name).is_file()]
    assert missing == []
    for statement in Statement.objects.published():
        path = unquote(statement.get_absolute_url()).lstrip("/")
        assert (copy_dir / path / "index.html").is_file()
    manifest = json.loads((copy_dir / MANIFEST_NAME).read_text("utf-8"))
    assert set(manifest["files"]) == {
        str(path.relative_to(copy_dir))
        for path in copy_dir.rglob("*")
        if path.is_file() and path.name != MANIFEST_NAME
    }


def test_every_internal_link_leads_to_a_file_of_the_copy(demo_site, copy_dir):
    export(copy_dir)
    pages = html_files(copy_dir)
    assert len(pages) > 50
    broken = []
    ids: dict[Path, set[str]] = {}
    for path in pages:
        for value in internal_links(soup(path)):
            parts = urlsplit(value)
            if not parts.path:  # "#main": this page
                continue
            assert not parts.path.startswith("/"), (path, value)
            target = (path.parent / unquote(parts.path)).resolve()
            if not target.is_file() or copy_dir.resolve() not in target.parents:
                broken.append((str(path.relative_to(copy_dir)), value))
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {e["id"] for e in soup(target).select("[id]")}
                if parts.fragment not in ids[target]:
                    broken.append((str(path.relative_to(copy_dir)), value))
    assert broken == []


def test_nothing_is_fetched_from_another_host(demo_site, copy_dir, settings):
    settings.COMMUNIQUE_MIRRORS = ["https://mirror.example.net/"]
    export(copy_dir)
    for path in html_files(copy_dir):
        page = soup(path)
        for tag_name, attribute in RESOURCES.items():
            for tag in page.find_all(tag_name):
                value = tag.get(attribute)
                assert value is None or not urlsplit(value).netloc, (path, value)
        for link in page.find_all("link"):
            if set(link.get("rel", [])) & RESOURCE_RELS:
                assert not urlsplit(link["href"]).netloc, (path, link)
        assert page.find("form") is None, path
        assert "fetch(" not in path.read_text("utf-8")
        for script in page.find_all("script", src=True):
            assert "captcha" not in script["src"] and "altcha" not in script["src"]
    assert (copy_dir / "mirrors/index.html").is_file()
    assert (copy_dir / "mirrors.json").is_file()


def test_the_statement_page_sends_commenters_to_the_main_site(demo_site, copy_dir):
    export(copy_dir)
    page = soup(copy_dir / MANY_COMMENTS / "index.html")
    link = page.find("a", string="Comment on the main site")
    assert link["href"] == f"{SITE_URL}/{MANY_COMMENTS}/#comment-form"
    assert page.select("form") == []
    assert page.select(".comment-links") == []  # no Reply, no Edit
    assert page.select_one("#site-search-query") is None
    assert "comments/new/" not in str(page)
    assert len(page.select("article.comment")) > 10  # the published comments
    assert page.select_one("html")["lang"] == "en"


def test_persian_pages_are_right_to_left(demo_site, copy_dir):
    export(copy_dir)
    for name in ("fa/index.html", f"fa/statements/{PERSIAN_SLUG}/index.html"):
        page = soup(copy_dir / name)
        assert page.html["dir"] == "rtl"
        assert page.html["lang"] == "fa"
    statement = soup(copy_dir / f"fa/statements/{PERSIAN_SLUG}/index.html")
    elsewhere = statement.select_one(".comment-elsewhere a")
    assert elsewhere["href"].startswith(f"{SITE_URL}/fa/statements/")


def test_a_second_run_writes_nothing(demo_site, copy_dir):
    export(copy_dir)
    before = {p: p.stat().st_mtime_ns for p in copy_dir.rglob("*") if p.is_file()}
    output = export(copy_dir)
    assert " 0 written," in output
    assert " 0 removed." in output
    after = {p: p.stat().st_mtime_ns for p in copy_dir.rglob("*") if p.is_file()}
    assert {p: t for p, t in after.items() if p.name != MANIFEST_NAME} == {
        p: t for p, t in before.items() if p.name != MANIFEST_NAME
    }


def _written(output: str) -> int:
    return int(output.split(": ", 1)[1].split(" written")[0])


def test_a_changed_statement_rewrites_its_pages_and_the_lists_only(
    demo_site, copy_dir, django_capture_on_commit_callbacks
):
    from communique.publishing import services

    full = export(copy_dir)
    statement = Statement.objects.get(
        slug="velmora-tenants-refuse-riverside-rent-review"
    )
    page = copy_dir / "statements" / statement.slug / "index.html"
    untouched = copy_dir / MANY_COMMENTS / "page/3/index.html"
    untouched_bytes = untouched.read_bytes()
    statement.title = "Velmora Tenants Refuse the Rent Review, Again"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_statement(statement=statement)
    output = export(copy_dir)
    assert 0 < _written(output) < _written(full)
    assert "Refuse the Rent Review, Again" in page.read_text("utf-8")
    assert "Refuse the Rent Review, Again" in (copy_dir / "index.html").read_text(
        "utf-8"
    )
    assert untouched.read_bytes() == untouched_bytes


def test_pages_of_an_unpublished_statement_are_removed(
    demo_site, copy_dir, django_capture_on_commit_callbacks
):
    from communique.publishing import services

    export(copy_dir)
    statement = Statement.objects.filter(slug=MANY_COMMENTS.split("/")[1])
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish_statements(statement)
    output = export(copy_dir)
    assert " 0 removed." not in output
    assert not (copy_dir / MANY_COMMENTS).exists()
    assert (copy_dir / "index.html").is_file()


def test_check_finds_missing_and_stale_files_and_writes_nothing(demo_site, copy_dir):
    from django.core.management import CommandError

    export(copy_dir)
    assert "up to date" in export(copy_dir, "--check")
    (copy_dir / "topics/index.html").unlink()
    stale = copy_dir / "archive/index.html"
    stale.write_text("an old page", "utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match="1 missing, 1 stale"):
        export(copy_dir, "--check", out=out)
    out = out.getvalue()
    assert "missing: topics/index.html" in out
    assert "stale: archive/index.html" in out
    assert not (copy_dir / "topics/index.html").exists()
    assert stale.read_text("utf-8") == "an old page"


def test_base_url_gives_absolute_links_under_it(demo_site, copy_dir):
    base = "https://cdn.example.net/statements-copy/"
    export(copy_dir, "--base-url", base)
    page = soup(copy_dir / MANY_COMMENTS / "index.html")
    stylesheet = page.find("link", rel="stylesheet")["href"]
    assert stylesheet.startswith(base + "static/communique/site")
    archive = page.find("a", string="Archive")["href"]
    assert archive == base + "archive/index.html"
    feed = (copy_dir / "feed/index.xml").read_text("utf-8")
    assert f"{base}{MANY_COMMENTS}/index.html" in feed
    sitemap = (copy_dir / "sitemap.xml").read_text("utf-8")
    assert f"<loc>{base}{MANY_COMMENTS}/index.html</loc>" in sitemap


def test_without_base_url_feeds_name_the_main_site(demo_site, copy_dir):
    export(copy_dir)
    feed = (copy_dir / "feed/index.xml").read_text("utf-8")
    assert f"{SITE_URL}/{MANY_COMMENTS}/" in feed
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in (copy_dir / "robots.txt").read_text()
