"""Half-spaces (U+200C) in titles and slugs: made, validated, served, edited."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from communique.publishing import services
from communique.publishing.importer import StatementFileError, import_statement_file
from communique.publishing.models import Statement
from tests.factories import StatementFactory
from tests.helpers import soup_of, statement_form_data

pytestmark = pytest.mark.django_db

ZWNJ = "\u200c"
TITLE = "بیانیهٔ هیئت" + ZWNJ + "اجرایی دربارهٔ کتاب" + ZWNJ + "های درسی"
SLUG = "بیانیه-هیئت" + ZWNJ + "اجرایی-درباره-کتاب" + ZWNJ + "های-درسی"
ADD_URL = reverse("admin:publishing_statement_add")


def test_a_persian_title_gives_a_slug_with_its_half_spaces():
    statement = StatementFactory(title=TITLE, language="fa")
    assert statement.slug == SLUG
    assert statement.title == TITLE
    statement.full_clean()


def test_a_second_statement_of_that_title_gets_a_numbered_slug():
    StatementFactory(title=TITLE, language="fa")
    assert services.unique_slug(TITLE, language="fa") == SLUG + "-2"


def test_a_long_title_is_cut_without_a_loose_half_space():
    title = ("کتاب" + ZWNJ + "های ") * 60
    slug = services.unique_slug(title, language="fa")
    assert len(slug) <= Statement._meta.get_field("slug").max_length - 6
    assert not slug.endswith((ZWNJ, "-"))
    assert ZWNJ in slug


def test_the_statement_page_is_at_the_percent_encoded_slug(client):
    statement = StatementFactory(title=TITLE, language="fa")
    url = statement.get_absolute_url()
    assert quote(SLUG) in url
    assert "%E2%80%8C" in url
    response = client.get(url)
    assert response.status_code == 200
    assert soup_of(response).h1.get_text() == TITLE


def form_data(**overrides):
    """The admin's form for a published Persian statement with half-spaces."""
    persian = {
        "title": TITLE,
        "body_source": "ما می" + ZWNJ + "خواهیم.",
        "signature": "هیئت" + ZWNJ + "اجرایی",
        "language": "fa",
        "status": "published",
        "published_at_0": "2025-04-02",
        "published_at_1": "10:00:00",
    }
    return statement_form_data(**(persian | overrides))


def test_the_admin_makes_the_slug_from_a_persian_title(client, editor):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    statement = Statement.objects.get()
    assert (statement.title, statement.slug) == (TITLE, SLUG)
    assert statement.signature == "هیئت" + ZWNJ + "اجرایی"
    assert ZWNJ in statement.body_html
    assert ZWNJ in statement.excerpt


def test_the_admin_change_form_saves_a_typed_slug_and_title(client, editor):
    statement = StatementFactory(title="Draft title", slug="draft", language="fa")
    change_url = reverse("admin:publishing_statement_change", args=[statement.pk])
    client.force_login(editor)
    typed = "می" + ZWNJ + "خواهیم-بمانیم"
    response = client.post(change_url, form_data(slug=typed))
    assert response.status_code == 302, response.content.decode()[:2000]
    statement.refresh_from_db()
    assert (statement.title, statement.slug) == (TITLE, typed)
    page = soup_of(client.get(change_url))
    assert page.find("input", attrs={"name": "slug"})["value"] == typed
    assert page.find("input", attrs={"name": "title"})["value"] == TITLE
    client.logout()
    assert client.get(statement.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "typed",
    [
        "می" + ZWNJ,  # at the end
        "دفتر-" + ZWNJ + "دوم",  # beside a hyphen
        "two words",
    ],
)
def test_the_admin_refuses_a_stray_half_space(client, editor, typed):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(slug=typed))
    assert response.status_code == 200
    errors = soup_of(response).select(".field-slug .errorlist")
    assert "a half-space (zero-width non-joiner) may join two letters" in (
        errors[0].get_text()
    )
    assert not Statement.objects.exists()


def write(folder, text):
    path = folder / "statement.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_importer_keeps_the_half_spaces_of_the_title(tmp_path):
    path = write(
        tmp_path,
        f"---\ntitle: {TITLE}\nlanguage: fa\ndate: 2024-05-01\n---\n\n"
        "ما می" + ZWNJ + "خواهیم.\n",
    )
    statement = import_statement_file(path).statement
    assert (statement.title, statement.slug) == (TITLE, SLUG)
    assert "ما می" + ZWNJ + "خواهیم." in statement.body_html


def test_the_importer_takes_a_slug_with_a_half_space(tmp_path):
    slug = "کتاب" + ZWNJ + "های-درسی"
    path = write(
        tmp_path,
        f"---\ntitle: {TITLE}\nslug: {slug}\nlanguage: fa\ndate: 2024-05-01\n---\n\n"
        "متن.\n",
    )
    assert import_statement_file(path).statement.slug == slug
    # Importing again finds the same statement by that slug.
    assert import_statement_file(path).created is False
    assert Statement.objects.count() == 1


def test_the_importer_refuses_a_stray_half_space_in_a_slug(tmp_path):
    path = write(
        tmp_path,
        f"---\ntitle: {TITLE}\nslug: کتاب{ZWNJ}-درسی\ndate: 2024-05-01\n---\n\nمتن.\n",
    )
    with pytest.raises(StatementFileError) as excinfo:
        import_statement_file(path)
    assert excinfo.value.field == "slug"
    assert not Statement.objects.exists()
