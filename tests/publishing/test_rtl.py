"""Statements in Persian and English side by side: direction, isolation,
dates and digits in each language, page numbers typed in Persian digits."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from communique import localformats
from communique.publishing.models import Statement
from tests.factories import StatementFactory, UserFactory
from tests.helpers import soup_of
from tests.publishing.test_admin import ADD_URL, LIST_URL, form_data

pytestmark = pytest.mark.django_db

PERSIAN_SIGNATURE = "(فداییان خلق)"


def soup_of_html(html):
    return BeautifulSoup(html, "html.parser")


def _anonymous_request():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return request


@pytest.fixture
def persian():
    return StatementFactory(
        title="بیانیه‌ای دربارهٔ بندر",
        body_source="متن بیانیه.",
        signature=PERSIAN_SIGNATURE,
        language="fa",
        date=dt.date(2022, 1, 22),
    )


def test_persian_summary_on_the_english_front_page(client, persian):
    summary = soup_of(client.get(reverse("publishing:front_page"))).select_one(
        "article.summary"
    )
    assert (summary["lang"], summary["dir"]) == ("fa", "rtl")
    meta = summary.find(class_="meta")
    # The date and the count are the page's words, in the page's direction.
    assert (meta["lang"], meta["dir"]) == ("en", "ltr")
    assert meta.find("time").get_text() == "January 22, 2022"
    assert meta.find("time")["datetime"] == "2022-01-22"
    signature = meta.find(class_="signature")
    assert signature.name == "bdi"
    assert signature.get_text() == PERSIAN_SIGNATURE
    assert signature["lang"] == "fa"
    assert meta.find("a").get_text() == "0 comments"


def test_english_summary_keeps_the_page_language(client):
    StatementFactory(date=dt.date(2022, 1, 22))
    summary = soup_of(client.get(reverse("publishing:front_page"))).select_one(
        "article.summary"
    )
    assert (summary["lang"], summary["dir"]) == ("en", "ltr")
    meta = summary.find(class_="meta")
    assert not meta.has_attr("lang")
    assert meta.find("bdi", class_="signature") is not None
    assert meta.find("time").get_text() == "January 22, 2022"


def test_summary_on_a_persian_page_has_jalali_dates_and_persian_digits(persian):
    persian.comment_count = 3
    english = StatementFactory(date=dt.date(2022, 1, 22))
    english.comment_count = 12
    summary = "publishing/_statement_summary.html"
    with translation.override("fa"):
        rtl = soup_of_html(render_to_string(summary, {"statement": persian}))
        ltr = soup_of_html(render_to_string(summary, {"statement": english}))
    assert rtl.find("time").get_text() == "۲ بهمن ۱۴۰۰"
    assert "۳" in rtl.find(class_="meta").find("a").get_text()
    assert not rtl.find(class_="meta").has_attr("lang")
    # An English statement on a Persian page: its summary left to right, the
    # page's words about it in Persian, right to left.
    assert (ltr.article["lang"], ltr.article["dir"]) == ("en", "ltr")
    meta = ltr.find(class_="meta")
    assert (meta["lang"], meta["dir"]) == ("fa", "rtl")
    assert "۱۲" in meta.find("a").get_text()
    assert "12" not in meta.get_text()


def test_statement_is_dated_in_its_own_language(client, persian):
    english = StatementFactory(date=dt.date(2022, 1, 22))
    article = soup_of(client.get(persian.get_absolute_url())).find(
        "article", class_="statement"
    )
    assert article.find(class_="statement-date").get_text() == "۲ بهمن ۱۴۰۰"
    assert article.find("time")["datetime"] == "2022-01-22"
    article = soup_of(client.get(english.get_absolute_url())).find(
        "article", class_="statement"
    )
    assert article.find(class_="statement-date").get_text() == "January 22, 2022"


def test_archive_counts_and_years_follow_the_language(client):
    for _ in range(3):
        StatementFactory(date=dt.date(2025, 5, 1))
    page = soup_of(client.get(reverse("publishing:archive")))
    assert page.select_one(".archive-years a").get_text() == "2025"
    assert page.select_one(".archive-years .count").get_text() == "(3 statements)"
    years = [(2025, 3)]
    with translation.override("fa"):
        html = render_to_string(
            "publishing/archive.html", {"years": years}, request=_anonymous_request()
        )
    archive = soup_of_html(html)
    link = archive.select_one(".archive-years a")
    assert link.get_text() == "۲۰۲۵"
    assert link["href"].endswith("2025/")  # addresses keep Latin digits
    assert "۳" in archive.select_one(".archive-years .count").get_text()


def test_page_numbers_shown_in_persian_links_in_latin():
    page = Paginator(range(30), 10).page(2)
    context = {
        "page": page,
        "label": "Pages",
        "fragment": "",
        "previous_label": "Newer",
        "next_label": "Older",
        "query": "",
    }
    with translation.override("fa"):
        nav = soup_of_html(render_to_string("includes/_pagination.html", context))
    current = nav.find(attrs={"aria-current": "page"}).get_text()
    assert "۲" in current
    assert "۳" in current
    assert "2" not in current
    assert [a["href"] for a in nav.find_all("a")] == ["?page=1", "?page=3"]


@pytest.mark.parametrize("number", ["2", "۲", "٢"])
def test_front_page_reads_page_numbers_in_any_digits(client, settings, number):
    settings.COMMUNIQUE_STATEMENTS_PER_PAGE = 1
    StatementFactory(title="Older", date=dt.date(2024, 1, 1))
    StatementFactory(title="Newer", date=dt.date(2025, 1, 1))
    page = soup_of(client.get(reverse("publishing:front_page"), {"page": number}))
    assert [h.get_text() for h in page.select("article.summary h2")] == ["Older"]


@pytest.mark.parametrize("number", ["۰۲", "+2", " 2", "2.0", "1_0", "२", "۹"])
def test_front_page_refuses_other_spellings(client, settings, number):
    settings.COMMUNIQUE_STATEMENTS_PER_PAGE = 1
    StatementFactory()
    StatementFactory()
    response = client.get(reverse("publishing:front_page"), {"page": number})
    assert response.status_code == 404


def test_archive_year_reads_persian_page_numbers(client, settings):
    settings.COMMUNIQUE_STATEMENTS_PER_PAGE = 1
    StatementFactory(title="May", date=dt.date(2025, 5, 1))
    StatementFactory(title="June", date=dt.date(2025, 6, 1))
    url = reverse("publishing:archive_year", args=[2025])
    page = soup_of(client.get(url, {"page": "۲"}))
    assert [h.get_text() for h in page.select("article.summary h2")] == ["May"]


def test_admin_list_sets_titles_apart_in_their_direction(client, persian):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = soup_of(client.get(LIST_URL))
    title = page.find(string=persian.title).parent
    assert (title.name, title["lang"], title["dir"]) == ("span", "fa", "rtl")


def test_admin_reads_dates_typed_in_persian_and_arabic_indic_digits(client, editor):
    client.force_login(editor)
    data = form_data(
        date="۲۰۲۵-۰۴-۰۲",
        status="published",
        published_at_0="٢٠٢٥-٠٤-٠٣",
        published_at_1="۰۹:۳۰",
    )
    response = client.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    statement = Statement.objects.get()
    assert statement.date == dt.date(2025, 4, 2)
    published = localformats.format_datetime(statement.published_at, "en")
    assert published == "April 3, 2025, 09:30"
