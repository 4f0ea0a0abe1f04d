"""Readers are told when a published statement's text changed, and can read
the versions they saw, with what each changed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communique.publishing import services, versions
from communique.publishing.models import Statement, StatementRevision
from tests.factories import StatementFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db


def edit(statement: Statement, **fields) -> Statement:
    for name, value in fields.items():
        setattr(statement, name, value)
    return services.save_statement(statement=statement)


def updated_line(client, statement: Statement):
    page = soup_of(client.get(statement.get_absolute_url()))
    return next(
        (p for p in page.select(".statement-footer p") if "Updated on" in p.text),
        None,
    )


def test_a_statement_never_edited_says_nothing_of_updates(client):
    statement = StatementFactory()
    assert statement.text_updated_at is None
    assert updated_line(client, statement) is None


def test_editing_the_text_of_a_published_statement_dates_the_update(client):
    statement = StatementFactory(body_source="The harbour opens on Monday.")
    edit(statement, body_source="The harbour opens on Tuesday.")
    statement.refresh_from_db()
    assert statement.text_updated_at is not None
    line = updated_line(client, statement)
    assert line is not None
    today = timezone.localdate(statement.text_updated_at)
    assert str(today.year) in line.text
    link = line.find("a")
    assert link["href"] == statement.get_versions_url()
    assert client.get(link["href"]).status_code == 200


def test_other_saves_do_not_count_as_updates(client):
    statement = StatementFactory()
    edit(statement, commenting=Statement.Commenting.CLOSED, date=dt.date(2025, 1, 2))
    statement.refresh_from_db()
    assert statement.text_updated_at is None
    assert updated_line(client, statement) is None


def test_edits_of_a_draft_are_not_updates_and_stay_private(client):
    statement = StatementFactory(
        status=Statement.Status.DRAFT, published_at=None, body_source="Secret draft."
    )
    edit(statement, body_source="Final text.")
    services.publish_statements(Statement.objects.filter(pk=statement.pk))
    statement.refresh_from_db()
    assert statement.text_updated_at is None
    assert StatementRevision.objects.get().was_public is False
    response = client.get(statement.get_versions_url())
    assert response.status_code == 200
    assert "Secret draft" not in response.content.decode()
    assert client.get(statement.get_versions_url() + "2/").status_code == 404
    assert (
        "Secret draft"
        not in client.get(statement.get_versions_url() + "1/").content.decode()
    )


def test_edits_while_unpublished_stay_private_after_publishing_again(client):
    statement = StatementFactory(body_source="Seen by readers.")
    services.unpublish_statements(Statement.objects.filter(pk=statement.pk))
    statement.refresh_from_db()
    edit(statement, body_source="Private wording.")
    edit(statement, body_source="Final wording.")
    services.publish_statements(Statement.objects.filter(pk=statement.pk))
    statement.refresh_from_db()
    found = versions.public_versions(statement)
    assert [v.body_source for v in found] == ["Final wording."]
    for number in (1, 2, 3):
        page = client.get(f"{statement.get_versions_url()}{number}/")
        assert "Private wording" not in page.content.decode()


def test_versions_of_drafts_and_scheduled_statements_are_not_found(client, editor):
    draft = StatementFactory(status=Statement.Status.DRAFT, published_at=None)
    later = StatementFactory(published_at=timezone.now() + dt.timedelta(days=1))
    client.force_login(editor)
    for statement in (draft, later):
        assert client.get(statement.get_versions_url()).status_code == 404
        assert client.get(statement.get_versions_url() + "1/").status_code == 404


def test_the_versions_list_names_each_version_newest_first(client):
    statement = StatementFactory(body_source="One.")
    edit(statement, body_source="Two.")
    edit(statement, body_source="Three.")
    page = soup_of(client.get(statement.get_versions_url()))
    items = [li.get_text(" ", strip=True) for li in page.select(".versions li")]
    assert [item.split(" —")[0] for item in items] == [
        "Version 3 (current)",
        "Version 2",
        "Version 1",
    ]
    assert [a["href"] for a in page.select(".versions a")] == ["3/", "2/", "1/"]


def test_a_version_shows_what_it_changed_in_the_one_before(client):
    statement = StatementFactory(
        title="Harbour news", body_source="The harbour opens on Monday at noon."
    )
    edit(statement, body_source="The harbour opens on Tuesday at noon.")
    page = soup_of(client.get(statement.get_versions_url() + "2/"))
    body = page.select_one(".diff")
    assert [d.text.strip() for d in body.find_all("del")] == ["Monday"]
    assert [i.text for i in body.find_all("ins")] == ["Tuesday"]
    assert page.find("h1").text == "Harbour news"
    first = soup_of(client.get(statement.get_versions_url() + "1/"))
    assert "Monday" in first.select_one(".statement-body").text
    assert first.find("del") is None


def test_a_persian_version_is_right_to_left_with_its_words_marked(client):
    statement = StatementFactory(
        language="fa", title="اطلاعیه", body_source="ما می‌خواهیم بندر باز شود."
    )
    edit(statement, body_source="ما می‌خواهیم بندر فردا باز شود.")
    response = client.get(statement.get_versions_url() + "2/")
    assert response.status_code == 200
    page = soup_of(response)
    article = page.find("article")
    assert (article["lang"], article["dir"]) == ("fa", "rtl")
    assert [i.text.strip() for i in article.find_all("ins")] == ["فردا"]
    assert "می\u200cخواهیم" in article.select_one(".diff").text


@pytest.mark.parametrize("number", ["0", "4", "99999999999999999999"])
def test_a_version_that_does_not_exist_is_not_found(client, number):
    statement = StatementFactory()
    edit(statement, body_source="Changed.")
    assert client.get(f"{statement.get_versions_url()}{number}/").status_code == 404


def test_versions_pages_are_cached_and_retired_by_an_edit(
    client, django_capture_on_commit_callbacks
):
    statement = StatementFactory(body_source="Before.")
    edit(statement, body_source="After.")
    url = statement.get_versions_url()
    first = client.get(url)
    assert "public" in first["Cache-Control"]
    assert not first.cookies
    assert first.content == client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        edit(statement, body_source="Later still.")
    assert "Version 3" in client.get(url).content.decode()


def test_the_versions_address_of_a_statement_in_another_language_redirects(client):
    statement = StatementFactory(language="fa", title="اطلاعیه دوم")
    edit(statement, body_source="متن تازه.")
    english = reverse("publishing:versions", kwargs={"slug": statement.slug})
    response = client.get(english)
    assert response.status_code == 301
    assert response["Location"] == statement.get_versions_url()
