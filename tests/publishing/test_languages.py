"""Each language at its own address: prefixes, the switcher, hreflang, lists
per language, archive years by calendar, and statements linked to their
translations."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import clear_url_caches, reverse
from django.utils import timezone, translation

from communique import environment
from communique.publishing import services
from communique.publishing.importer import (
    StatementFileError,
    find_statement_files,
    import_statement_file,
)
from communique.publishing.models import Statement
from tests.factories import StatementFactory
from tests.helpers import soup_of, statement_form_data

pytestmark = pytest.mark.django_db


def hreflangs(response) -> dict[str, str]:
    page = soup_of(response)
    return {
        link["hreflang"]: link["href"]
        for link in page.find_all("link", rel="alternate")
        if link.get("hreflang")
    }


def switcher(response) -> dict[str, str | None]:
    """Language name → link (None for the page's own language)."""
    nav = soup_of(response).find("nav", class_="language-switcher")
    return {
        item.get_text(strip=True): (item.a["href"] if item.a else None)
        for item in nav.find_all("li")
    }


@pytest.fixture
def pair():
    english = StatementFactory(
        title="We keep publishing", slug="we-keep-publishing", language="en"
    )
    persian = StatementFactory(
        title="ما منتشر می‌کنیم",
        slug="ما-منتشر-میکنیم",
        language="fa",
        translation_of=english,
    )
    return english, persian


@pytest.mark.parametrize(
    ("path", "language", "direction"),
    [("/", "en", "ltr"), ("/fa/", "fa", "rtl"), ("/fa/archive/", "fa", "rtl")],
)
def test_the_address_names_the_language(client, path, language, direction):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fa" if language == "en" else "en")
    assert response.status_code == 200
    html = soup_of(response).find("html")
    assert (html["lang"], html["dir"]) == (language, direction)
    assert response["Content-Language"] == language
    # Nothing but the address decides, so caches need no Vary on the language.
    assert "Accept-Language" not in response.get("Vary", "")
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_a_language_cookie_changes_nothing(client):
    client.cookies["django_language"] = "fa"
    response = client.get("/")
    assert soup_of(response).find("html")["lang"] == "en"


def test_the_default_language_has_no_prefix(client):
    response = client.get("/en/archive/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/archive/?page=2"


def test_unknown_prefix_is_not_a_language(client):
    assert client.get("/de/").status_code == 404


def test_every_list_page_has_a_switcher_and_hreflang(client):
    response = client.get("/archive/")
    assert switcher(response) == {"English": None, "فارسی": "/fa/archive/"}
    assert hreflangs(response) == {
        "en": "http://testserver/archive/",
        "fa": "http://testserver/fa/archive/",
        "x-default": "http://testserver/archive/",
    }


def test_error_pages_speak_the_language_of_their_address(client):
    response = client.get("/fa/no-such-page/")
    assert response.status_code == 404
    page = soup_of(response)
    assert page.find("html")["lang"] == "fa"
    # Pages with no equal in other languages send the switcher to front pages.
    assert switcher(response) == {"English": "/", "فارسی": None}
    assert hreflangs(response) == {}
    # Also where the address has the shape of a page: it is missing in every
    # language.
    response = client.get("/statements/missing/")
    assert response.status_code == 404
    assert switcher(response) == {"English": None, "فارسی": "/fa/"}


def test_statement_lives_at_its_languages_address(client, pair):
    english, persian = pair
    assert english.get_absolute_url() == "/statements/we-keep-publishing/"
    assert persian.get_absolute_url().startswith("/fa/statements/")
    response = client.get(persian.get_absolute_url())
    assert response.status_code == 200
    assert soup_of(response).find("html")["dir"] == "rtl"
    # The old address with ?lang=, and the other language's prefix, redirect.
    old = client.get(f"/statements/{persian.slug}/?lang=fa&page=2")
    assert old.status_code == 301
    assert old["Location"] == persian.get_absolute_url() + "?page=2"
    assert client.get("/fa/statements/we-keep-publishing/")["Location"] == (
        english.get_absolute_url()
    )


def test_statement_links_to_its_translations_by_their_own_names(client, pair):
    english, persian = pair
    response = client.get(english.get_absolute_url())
    links = soup_of(response).find(class_="translations").find_all("a")
    assert [(a.get_text(), a["href"], a["lang"], a["dir"]) for a in links] == [
        ("فارسی", persian.get_absolute_url(), "fa", "rtl")
    ]
    assert switcher(response)["فارسی"] == persian.get_absolute_url()
    assert set(hreflangs(response)) == {"en", "fa", "x-default"}

    back = client.get(persian.get_absolute_url())
    links = soup_of(back).find(class_="translations").find_all("a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("English", english.get_absolute_url())
    ]


def test_statement_without_translation_has_only_its_own_hreflang(client):
    persian = StatementFactory(title="تنها", slug="tanha", language="fa")
    response = client.get(persian.get_absolute_url())
    assert set(hreflangs(response)) == {"fa"}
    assert soup_of(response).find(class_="translations") is None
    # The switcher still leads to the English site, its front page.
    assert switcher(response) == {"English": "/", "فارسی": None}


def test_statements_sharing_a_slug_are_translations(client):
    english = StatementFactory(slug="solidarity", language="en")
    persian = StatementFactory(slug="solidarity", language="fa")
    assert english.family == persian.family == "solidarity"
    response = client.get(english.get_absolute_url())
    assert switcher(response)["فارسی"] == persian.get_absolute_url()


def test_a_drafted_translation_is_not_linked(client):
    english = StatementFactory(slug="later", language="en")
    StatementFactory(slug="bad", language="fa", translation_of=english, status="draft")
    response = client.get(english.get_absolute_url())
    assert soup_of(response).find(class_="translations") is None


def test_publishing_a_translation_refreshes_the_cached_original(
    client, settings, django_capture_on_commit_callbacks
):
    settings.COMMUNIQUE_PAGE_CACHE = True
    english = StatementFactory(slug="refresh", language="en")
    persian = StatementFactory(
        slug="tazeh", language="fa", translation_of=english, status="draft"
    )
    assert (
        soup_of(client.get(english.get_absolute_url())).find(class_="translations")
        is None
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_statements(Statement.objects.filter(pk=persian.pk))
    page = soup_of(client.get(english.get_absolute_url()))
    assert page.find(class_="translations").a["href"] == persian.get_absolute_url()


def test_changing_the_originals_slug_takes_its_translations_along(pair):
    english, persian = pair
    english.slug = "renamed"
    services.save_statement(statement=english)
    persian.refresh_from_db()
    assert persian.family == "renamed"
    assert Statement.objects.translations_of(english) == [persian]


def test_a_statement_cannot_translate_one_of_its_own_language():
    english = StatementFactory(language="en")
    other = StatementFactory.build(language="en", translation_of=english)
    with pytest.raises(Exception, match="another language"):
        other.clean()


def test_lists_show_their_language_and_untranslated_statements(client, pair):
    english, persian = pair
    persian_only = StatementFactory(title="فقط فارسی", slug="faghat", language="fa")

    def titles(path):
        page = soup_of(client.get(path))
        return {h.get_text(strip=True) for h in page.select("article.summary h2")}

    # The English list shows the translation, not the Persian original again,
    # and the Persian statement nobody translated, in its own language.
    assert titles("/") == {english.title, persian_only.title}
    assert titles("/fa/") == {persian.title, persian_only.title}
    untranslated = soup_of(client.get("/")).find("article", class_="summary", lang="fa")
    assert untranslated["dir"] == "rtl"


def test_lists_can_leave_untranslated_statements_out(client, settings, pair):
    settings.COMMUNIQUE_LIST_UNTRANSLATED = False
    StatementFactory(title="فقط فارسی", slug="faghat", language="fa")
    page = soup_of(client.get("/"))
    assert [h.get_text(strip=True) for h in page.select("article.summary h2")] == [
        "We keep publishing"
    ]


def test_archive_years_follow_each_languages_calendar(client):
    # 22 January 2022 is 2 Bahman 1400; 1 July 2022 is 10 Tir 1401.
    StatementFactory(language="fa", slug="a", date=dt.date(2022, 1, 22))
    StatementFactory(language="fa", slug="b", date=dt.date(2022, 7, 1))
    with translation.override("fa"):
        assert reverse("publishing:archive_year", args=[1400]) == "/fa/archive/1400/"
    english = soup_of(client.get("/archive/"))
    assert [a["href"] for a in english.select(".archive-years a")] == ["/archive/2022/"]
    persian = soup_of(client.get("/fa/archive/"))
    assert [a["href"] for a in persian.select(".archive-years a")] == [
        "/fa/archive/1401/",
        "/fa/archive/1400/",
    ]
    year = client.get("/fa/archive/1400/")
    assert year.status_code == 200
    assert len(soup_of(year).select("article.summary")) == 1
    # The same year in the other calendar: the one holding its middle.
    assert switcher(year)["English"] == "/archive/2021/"
    assert switcher(client.get("/archive/2022/"))["فارسی"] == "/fa/archive/1401/"


def test_import_links_a_translation_by_slug(tmp_path: Path):
    (tmp_path / "a-fa.md").write_text(
        "---\ntitle: ترجمه\nlanguage: fa\nslug: tarjomeh\n"
        "translation_of: original\n---\n\nمتن.\n",
        encoding="utf-8",
    )
    (tmp_path / "b-en.md").write_text(
        "---\ntitle: Original\nlanguage: en\nslug: original\n---\n\nText.\n",
        encoding="utf-8",
    )
    # The translation sorts first by name, and is imported after what it translates.
    files = list(find_statement_files([tmp_path]))
    assert [path.name for path in files] == ["b-en.md", "a-fa.md"]
    for path in files:
        import_statement_file(path)
    persian = Statement.objects.get(slug="tarjomeh")
    assert persian.translation_of.slug == "original"
    assert persian.family == "original"


def test_import_names_a_missing_original(tmp_path: Path):
    path = tmp_path / "fa.md"
    path.write_text(
        "---\ntitle: ترجمه\nlanguage: fa\ntranslation_of: nowhere\n---\n\nمتن.\n",
        encoding="utf-8",
    )
    with pytest.raises(StatementFileError) as error:
        import_statement_file(path)
    assert error.value.field == "translation_of"
    assert "nowhere" in error.value.message


def test_admin_links_a_translation(admin_client, pair):
    english, _persian = pair
    response = admin_client.post(
        reverse("admin:publishing_statement_add"),
        statement_form_data(
            title="Traducción",
            slug="traduccion",
            language="es",
            translation_of=english.pk,
            status="published",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    spanish = Statement.objects.get(slug="traduccion")
    assert spanish.family == english.family
    # Spanish is not one of the site's languages: its address names it.
    assert spanish.get_absolute_url() == "/statements/traduccion/?lang=es"


@pytest.mark.parametrize(
    ("environ", "default", "codes"),
    [
        ({}, "en", ["en", "fa"]),
        ({"COMMUNIQUE_LANGUAGES": "fa,en", "COMMUNIQUE_LANGUAGE_CODE": "fa"}, "fa",
         ["fa", "en"]),
        ({"COMMUNIQUE_LANGUAGES": "en,fa,ar,ckb,tr,ru"}, "en",
         ["en", "fa", "ar", "ckb", "tr", "ru"]),
    ],
)  # fmt: skip
def test_languages_are_configured(environ, default, codes):
    got_default, languages = environment.read_languages(environ)
    assert got_default == default
    assert [code for code, _name in languages] == codes


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"COMMUNIQUE_LANGUAGES": "en,klingon"}, "COMMUNIQUE_LANGUAGES"),
        ({"COMMUNIQUE_LANGUAGE_CODE": "de"}, "COMMUNIQUE_LANGUAGE_CODE"),
    ],
)
def test_language_settings_errors_name_the_variable(environ, variable):
    with pytest.raises(ImproperlyConfigured, match=variable):
        environment.read_languages(environ)


@pytest.mark.parametrize("path", ["/fa/admin/login/", "/fa/captcha/image.png"])
def test_staff_and_captcha_addresses_stay_private_in_every_language(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")


def test_the_admin_speaks_the_language_of_its_address(client):
    page = soup_of(client.get("/fa/admin/login/"))
    assert (page.find("html")["lang"], page.find("html")["dir"]) == ("fa", "rtl")


@pytest.fixture
def persian_by_default(settings):
    """The site's default language is Persian: its pages lose their prefix.
    Django keeps reversed addresses, prefixes included, until told."""
    settings.LANGUAGE_CODE = "fa"
    clear_url_caches()
    yield
    settings.LANGUAGE_CODE = "en"
    clear_url_caches()


@pytest.mark.usefixtures("persian_by_default")
def test_a_persian_site_has_persian_at_the_root(client, pair):
    english, persian = pair
    assert soup_of(client.get("/")).find("html")["lang"] == "fa"
    assert soup_of(client.get("/en/")).find("html")["lang"] == "en"
    assert client.get("/fa/archive/")["Location"] == "/archive/"
    assert persian.get_absolute_url().startswith("/statements/")
    assert english.get_absolute_url() == "/en/statements/we-keep-publishing/"
    response = client.get(persian.get_absolute_url())
    assert response.status_code == 200
    assert hreflangs(response)["x-default"] == "http://testserver" + (
        persian.get_absolute_url()
    )


def test_admin_lists_date_in_the_admins_language(admin_client):
    StatementFactory(date=dt.date(2022, 1, 22))
    english = admin_client.get("/admin/publishing/statement/").content.decode()
    persian = admin_client.get("/fa/admin/publishing/statement/").content.decode()
    assert "January 22, 2022" in english
    assert "۲ بهمن ۱۴۰۰" in persian
    # Sorted by the field itself, in either language.
    assert admin_client.get("/fa/admin/publishing/statement/?o=4").status_code == 200


def test_translations_read_by_hand_match_the_orms_answer():
    original = StatementFactory(slug="family", language="en")
    StatementFactory(slug="family", language="fa")  # published, by slug
    StatementFactory(slug="x-de", language="de", translation_of=original)
    StatementFactory(
        slug="x-ar", language="ar", translation_of=original, status="draft"
    )
    scheduled = StatementFactory.build(
        slug="x-tr",
        language="tr",
        translation_of=original,
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    services.save_statement(statement=scheduled)
    trashed = StatementFactory(slug="x-ru", language="ru", translation_of=original)
    services.trash_statements(Statement.objects.filter(pk=trashed.pk))
    StatementFactory(slug="unrelated", language="fa")
    by_orm = list(
        Statement.objects.published()
        .filter(family=original.family)
        .exclude(language="en")
        .order_by("language", "pk")
    )
    assert [s.language for s in by_orm] == ["de", "fa"]
    assert Statement.objects.translations_of(original) == by_orm
