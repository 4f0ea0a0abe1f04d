"""The admin preview's list of errors names fields as the form labels them."""

import pytest
from django.urls import reverse

from tests.helpers import soup_of
from tests.helpers import statement_form_data as form_data

pytestmark = pytest.mark.django_db

PREVIEW_URL = reverse("admin:publishing_statement_preview")


def errors_of(response) -> list[str]:
    return [item.get_text() for item in soup_of(response).select(".banner li")]


def test_preview_errors_name_fields_by_their_labels(client, editor):
    client.force_login(editor)
    response = client.post(PREVIEW_URL, form_data(title="", signature="x" * 301))
    assert response.status_code == 200
    errors = errors_of(response)
    assert any(error.startswith("Title: ") for error in errors), errors
    assert any(error.startswith("Signature: ") for error in errors), errors
    assert not any(error.startswith(("title", "signature")) for error in errors)


def test_preview_names_a_date_and_time_field_by_its_label(client, editor):
    client.force_login(editor)
    response = client.post(PREVIEW_URL, form_data(published_at_0="not a date"))
    assert [error.split(": ")[0] for error in errors_of(response)] == ["Published at"]


def test_preview_without_errors_shows_no_list(client, editor):
    client.force_login(editor)
    response = client.post(PREVIEW_URL, form_data())
    assert errors_of(response) == []
