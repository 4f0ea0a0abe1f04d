import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communique.comments import services
from communique.comments.models import Comment, ModerationAction
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_deleted_comments_are_kept_for_thirty_days(statement, moderator):
    old = CommentFactory(statement=statement)
    recent = CommentFactory(statement=statement)
    services.delete_comments(Comment.objects.filter(pk=old.pk), moderator=moderator)
    ModerationAction.objects.filter(comment=old).update(
        created=timezone.now() - dt.timedelta(days=31)
    )
    services.delete_comments(Comment.objects.filter(pk=recent.pk), moderator=moderator)
    assert not Comment.objects.filter(pk=old.pk).exists()
    assert Comment.objects.get(pk=recent.pk).status == Comment.Status.DELETED
    services.undelete_comments(
        Comment.objects.filter(pk=recent.pk), moderator=moderator
    )
    assert Comment.objects.get(pk=recent.pk).status == Comment.Status.PUBLISHED


def test_a_restored_comment_is_not_purged(statement, moderator):
    comment = CommentFactory(statement=statement)
    services.delete_comments(Comment.objects.filter(pk=comment.pk), moderator=moderator)
    services.undelete_comments(
        Comment.objects.filter(pk=comment.pk), moderator=moderator
    )
    ModerationAction.objects.update(created=timezone.now() - dt.timedelta(days=40))
    assert services.empty_trash() == 0
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_the_admin_cannot_delete_comments_past_the_trash(client, admin_user):
    """Deleting goes through /moderation/: the trash, the log, the page cache."""
    comment = CommentFactory(status="published")
    client.force_login(admin_user)
    delete_url = reverse("admin:comments_comment_delete", args=[comment.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"},
    )
    assert changelist.status_code in (200, 302)
    assert Comment.objects.filter(pk=comment.pk, status="published").exists()
