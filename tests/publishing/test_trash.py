import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communique.comments.models import Comment
from communique.publishing import services
from communique.publishing.models import Statement
from tests.factories import CommentFactory, StatementFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:publishing_statement_changelist")


def test_deleting_in_the_admin_moves_to_the_trash(client, editor):
    statement = StatementFactory(title="Misclicked")
    comment = CommentFactory(statement=statement)
    client.force_login(editor)
    response = client.post(
        reverse("admin:publishing_statement_delete", args=[statement.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.trashed_at is not None
    assert Comment.objects.filter(pk=comment.pk).exists()
    client.logout()
    assert client.get(statement.get_absolute_url()).status_code == 404
    assert "Misclicked" not in client.get("/").content.decode()


def test_the_trash_is_listed_and_restorable(client, editor):
    kept = StatementFactory(title="Still here")
    trashed = StatementFactory(title="In the bin")
    services.trash_statements(Statement.objects.filter(pk=trashed.pk))
    client.force_login(editor)
    default = client.get(LIST_URL).content.decode()
    assert "Still here" in default
    assert "In the bin" not in default
    trash = client.get(LIST_URL, {"trash": "yes"}).content.decode()
    assert "In the bin" in trash
    assert "Still here" not in trash
    client.post(
        LIST_URL + "?trash=yes",
        {"action": "restore", "_selected_action": [trashed.pk]},
    )
    trashed.refresh_from_db()
    assert trashed.trashed_at is None
    client.logout()
    assert client.get(trashed.get_absolute_url()).status_code == 200
    assert kept.trashed_at is None


def test_staff_cannot_open_a_trashed_statement_page(client, editor):
    statement = StatementFactory()
    services.trash_statements(Statement.objects.filter(pk=statement.pk))
    client.force_login(editor)
    assert client.get(statement.get_absolute_url()).status_code == 404


def test_the_trash_empties_after_thirty_days():
    old = StatementFactory()
    recent = StatementFactory()
    services.trash_statements(Statement.objects.filter(pk__in=[old.pk, recent.pk]))
    Statement.objects.filter(pk=old.pk).update(
        trashed_at=timezone.now() - dt.timedelta(days=31)
    )
    assert services.empty_trash() == 1
    assert not Statement.objects.filter(pk=old.pk).exists()
    assert Statement.objects.filter(pk=recent.pk).exists()
