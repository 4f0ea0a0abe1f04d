import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from communique.publishing.importer import import_statement_file
from communique.publishing.models import Statement
from communique.static_storage import minify_css
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_statement_page_anatomy(client):
    statement = StatementFactory(
        title="Dockers call a general assembly",
        body_source="One.\n\nTwo.\n\nThree.",
        signature="Executive Committee of the Dockers' Union",
        date=dt.date(2025, 6, 2),
    )
    response = client.get(statement.get_absolute_url())
    assert response.status_code == 200
    page = soup_of(response)

    first_focusable = page.find(["a", "button", "input", "select", "textarea"])
    assert first_focusable.get_text(strip=True) == "Skip to main content"
    assert first_focusable["href"] == "#main"
    main = page.find("main")
    assert main["id"] == "main"

    assert [h.get_text() for h in page.find_all("h1")] == [statement.title]
    article = main.find("article", class_="statement")
    paragraphs = article.find(class_="statement-body").find_all("p")
    assert [p.get_text() for p in paragraphs] == ["One.", "Two.", "Three."]
    assert article.find(class_="signature").get_text() == statement.signature
    assert article.find("time")["datetime"] == "2025-06-02"

    html = page.find("html")
    assert html["lang"] == "en"
    assert html["dir"] == "ltr"
    for landmark in ("header", "nav", "main", "footer"):
        assert page.find(landmark) is not None


def test_statement_page_order_is_title_body_signature_date(client):
    statement = StatementFactory(body_source="Only paragraph.")
    text = soup_of(client.get(statement.get_absolute_url())).find("main").get_text()
    positions = [
        text.index(statement.title),
        text.index("Only paragraph."),
        text.index(statement.signature),
        text.index("2025"),
    ]
    assert positions == sorted(positions)


def test_seed_statement_renders_six_paragraphs_in_order(client, seed_statement_file):
    statement = import_statement_file(seed_statement_file).statement
    response = client.get(statement.get_absolute_url())
    page = soup_of(response)
    assert page.find("a")["href"] == "#main"
    article = page.find("article", class_="statement")
    assert len(article.find(class_="statement-body").find_all("p")) == 6
    assert article.find("time")["datetime"] == "2022-01-22"
    signature = article.find(class_="signature")
    assert signature.get_text().startswith("Political-Executive Board")
    body = article.find(class_="statement-body")
    assert body.sourceline < signature.sourceline < article.find("time").sourceline


def test_statement_page_weight_is_small(client, seed_statement_file):
    from django.contrib.staticfiles import finders

    statement = import_statement_file(seed_statement_file).statement
    html = client.get(statement.get_absolute_url()).content
    css_path = finders.find("communique/site.css")
    with open(css_path, encoding="utf-8") as handle:
        css = minify_css(handle.read()).encode(
            "utf-8"
        )  # as `communique serve` serves it
    weight = len(html) + len(css)
    assert weight <= 25 * 1024, (
        f"{weight:,} bytes ({len(html):,} HTML, {len(css):,} CSS)"
    )


def test_statement_page_loads_nothing_from_other_hosts(client):
    statement = StatementFactory(
        body_source="See [the report](https://example.org/report)."
    )
    response = client.get(statement.get_absolute_url())
    page = soup_of(response)
    for tag, attribute in (("link", "href"), ("script", "src"), ("img", "src")):
        for element in page.find_all(tag):
            value = element.get(attribute, "")
            # hreflang alternates and the canonical link name this site's
            # own pages, in full.
            value = value.removeprefix("http://testserver/")
            value = value.removeprefix(settings.COMMUNIQUE_SITE_URL.rstrip("/") + "/")
            assert not value.startswith(("http:", "https:", "//")), element
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_draft_is_hidden_from_readers(client):
    draft = StatementFactory(status=Statement.Status.DRAFT, published_at=None)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert draft.title.encode() not in client.get("/").content


def test_scheduled_statement_is_hidden_until_its_time(client):
    later = timezone.now() + dt.timedelta(days=1)
    scheduled = StatementFactory(published_at=later)
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_staff_see_drafts_with_a_banner(client, editor):
    draft = StatementFactory(status=Statement.Status.DRAFT, published_at=None)
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    banner = soup_of(response).find(class_="banner")
    assert "Draft" in banner.get_text()


def test_published_statement_has_no_banner(client):
    statement = StatementFactory()
    page = soup_of(client.get(statement.get_absolute_url()))
    assert page.find(class_="banner") is None


def test_unknown_statement_gets_a_helpful_404(client):
    response = client.get("/statements/no-such-thing/")
    assert response.status_code == 404
    page = soup_of(response)
    assert page.find("h1").get_text() == "Page not found"
    links = {a["href"] for a in page.find("main").find_all("a")}
    assert {reverse("publishing:front_page"), reverse("publishing:archive")} <= links


def test_front_page_lists_newest_first_and_paginates(client, settings):
    settings.COMMUNIQUE_STATEMENTS_PER_PAGE = 2
    now = timezone.now()
    for days in (3, 1, 2):
        StatementFactory(
            title=f"{days} days old", published_at=now - dt.timedelta(days=days)
        )
    page = soup_of(client.get("/"))
    titles = [h.get_text() for h in page.select("article.summary h2")]
    assert titles == ["1 days old", "2 days old"]
    assert page.select_one("article.summary .signature") is not None
    assert page.select_one("article.summary .excerpt").get_text()
    second = soup_of(client.get("/?page=2"))
    assert [h.get_text() for h in second.select("article.summary h2")] == ["3 days old"]


@pytest.mark.parametrize("page", ["9", "zero", "-1"])
def test_front_page_bad_page_number_is_404(client, page):
    StatementFactory()
    assert client.get("/", {"page": page}).status_code == 404


def test_front_page_query_count_is_bounded(client, django_assert_max_num_queries):
    for _ in range(12):
        StatementFactory()
    with django_assert_max_num_queries(3):
        assert client.get("/").status_code == 200


def test_archive_lists_years_and_their_statements(client):
    StatementFactory(title="Older", date=dt.date(2024, 5, 1))
    StatementFactory(title="Newer", date=dt.date(2025, 5, 1))
    StatementFactory(title="Also newer", date=dt.date(2025, 9, 1))
    StatementFactory(
        title="Unpublished", date=dt.date(2023, 1, 1), status="draft", published_at=None
    )
    archive = soup_of(client.get(reverse("publishing:archive")))
    years = [a.get_text() for a in archive.select(".archive-years a")]
    assert years == ["2025", "2024"]
    year = soup_of(client.get(reverse("publishing:archive_year", args=[2025])))
    assert [h.get_text() for h in year.select("article.summary h2")] == [
        "Also newer",
        "Newer",
    ]
    assert (
        client.get(reverse("publishing:archive_year", args=[2023])).status_code == 404
    )


def test_slug_shared_by_two_languages(client):
    english = StatementFactory(title="Solidarity", slug="solidarity", language="en")
    persian = StatementFactory(title="همبستگی", slug="solidarity", language="fa")
    assert english.get_absolute_url() == "/statements/solidarity/"
    assert persian.get_absolute_url() == "/fa/statements/solidarity/"
    english_page = soup_of(client.get(english.get_absolute_url()))
    assert english_page.find("h1").get_text() == "Solidarity"
    persian_page = soup_of(client.get(persian.get_absolute_url()))
    article = persian_page.find("article", class_="statement")
    assert article["lang"] == "fa"
    assert article["dir"] == "rtl"
    assert article.find("h1").get_text() == "همبستگی"


def test_statement_in_another_language_only_redirects_to_its_address(client):
    persian = StatementFactory(title="بیانیه", slug="bayaniyeh", language="fa")
    response = client.get("/statements/bayaniyeh/")
    assert response.status_code == 301
    assert response["Location"] == "/fa/statements/bayaniyeh/"
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert persian.title in response.content.decode()


def test_staff_see_when_a_scheduled_statement_appears_and_that_comments_will_open(
    client, settings
):
    from tests.factories import EditorFactory

    settings.TIME_ZONE = "Asia/Tehran"
    later = timezone.now() + dt.timedelta(days=2)
    scheduled = StatementFactory(published_at=later)
    draft = StatementFactory(status=Statement.Status.DRAFT, published_at=None)
    client.force_login(EditorFactory())
    banner = soup_of(client.get(scheduled.get_absolute_url())).select_one(".banner")
    text = banner.get_text(" ", strip=True)
    assert "(Asia/Tehran time)" in text
    assert ".." not in text
    for statement in (scheduled, draft):
        page = soup_of(client.get(statement.get_absolute_url()))
        waiting = page.select_one(".comments-closed").get_text(strip=True)
        assert waiting == "Comments open when the statement is published."


def test_the_admin_names_the_site(client, settings):
    from tests.factories import EditorFactory

    client.force_login(EditorFactory())
    page = client.get("/admin/").content.decode()
    assert settings.COMMUNIQUE_SITE_NAME in page
    assert "Django administration" not in page
