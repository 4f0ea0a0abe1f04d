"""Editors see every version of a statement, compare any two, and restore
one; restoring keeps the text it replaces."""

import pytest
from django.urls import reverse

from communique.publishing import services
from communique.publishing.models import Statement, StatementRevision
from tests.factories import StatementFactory, UserFactory
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db


def versions_url(statement: Statement, number: int | None = None) -> str:
    if number is None:
        return reverse("admin:publishing_statement_versions", args=[statement.pk])
    return reverse("admin:publishing_statement_version", args=[statement.pk, number])


@pytest.fixture
def edited() -> Statement:
    statement = StatementFactory(title="Harbour", body_source="Opens on Monday.")
    statement.body_source = "Opens on Tuesday."
    services.save_statement(statement=statement)
    statement.title = "Harbour news"
    return services.save_statement(statement=statement)


def test_the_versions_list_offers_every_version(client, editor, edited):
    client.force_login(editor)
    change = client.get(reverse("admin:publishing_statement_change", args=[edited.pk]))
    assert versions_url(edited) in change.content.decode()
    page = soup_of(client.get(versions_url(edited)))
    rows = [row.th.get_text(" ", strip=True) for row in page.select("tbody tr")]
    assert rows == ["Version 3 (current)", "Version 2", "Version 1"]


def test_a_version_is_shown_in_full(client, editor, edited):
    client.force_login(editor)
    page = soup_of(client.get(versions_url(edited, 1)))
    assert "Opens on Monday." in page.find("pre").text
    assert page.find("h2", string="Harbour")


def test_any_two_versions_are_compared(client, editor, edited):
    client.force_login(editor)
    response = client.get(versions_url(edited), {"older": 1, "newer": 3})
    page = soup_of(response)
    deleted = {tag.text.strip() for tag in page.select(".diff del")}
    inserted = {tag.text.strip() for tag in page.select(".diff ins")}
    assert (deleted, inserted) == ({"Monday."}, {"news", "Tuesday."})


@pytest.mark.parametrize(
    "query", [{"older": "x", "newer": "1"}, {"older": 9, "newer": 1}]
)
def test_a_bad_comparison_is_refused_clearly(client, editor, edited, query):
    client.force_login(editor)
    assert client.get(versions_url(edited), query).status_code == 400


def test_restoring_makes_a_new_version_and_loses_nothing(client, editor, edited):
    client.force_login(editor)
    response = client.post(versions_url(edited, 1))
    assert response.status_code == 302
    edited.refresh_from_db()
    assert (edited.title, edited.body_source) == ("Harbour", "Opens on Monday.")
    kept = list(
        StatementRevision.objects.filter(statement=edited)
        .order_by("replaced_at", "pk")
        .values_list("title", "body_source")
    )
    assert kept == [
        ("Harbour", "Opens on Monday."),
        ("Harbour", "Opens on Tuesday."),
        ("Harbour news", "Opens on Tuesday."),
    ]
    assert edited.text_updated_at is not None
    assert client.post(versions_url(edited, 4)).status_code == 400  # the current


def test_versions_need_the_permission_to_edit(client, edited):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(versions_url(edited)).status_code == 403
    assert client.post(versions_url(edited, 1)).status_code == 403
    edited.refresh_from_db()
    assert edited.title == "Harbour news"


def test_unknown_statements_and_versions_are_not_found(client, editor, edited):
    client.force_login(editor)
    assert client.get(versions_url(edited, 9)).status_code == 404
    missing = reverse("admin:publishing_statement_versions", args=[edited.pk + 100])
    assert client.get(missing).status_code == 404
