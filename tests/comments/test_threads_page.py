"""The statement page's one read of its comments gives what the ORM would."""

import datetime as dt

import pytest
from django.utils import timezone

from communique.comments.models import Comment
from communique.comments.querysets import ShownComment
from tests.factories import CommentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def orm_answer(statement, start: int, stop: int) -> list[ShownComment]:
    roots = Comment.objects.threads_on(statement).values_list("pk", flat=True)
    return [
        ShownComment(*(getattr(comment, name) for name in ShownComment._fields))
        for comment in Comment.objects.in_threads(list(roots[start:stop]))
    ]


@pytest.fixture
def threads(statement):
    """Threads with replies at several depths, and what must not show."""
    other = StatementFactory(title="Another statement")
    for number in range(7):
        root = CommentFactory(
            statement=statement,
            status="pending" if number == 3 else "published",
            homepage="https://example.org/" if number == 1 else "",
        )
        reply = CommentFactory(statement=statement, parent=root, subject="A subject")
        CommentFactory(statement=statement, parent=reply)
        CommentFactory(statement=statement, parent=root, status="spam")
        CommentFactory(statement=other, parent=None)
    edited = Comment.objects.filter(statement=statement).order_by("pk")[1]
    Comment.objects.filter(pk=edited.pk).update(
        edited=timezone.now() - dt.timedelta(minutes=5)
    )
    return statement


@pytest.mark.parametrize(
    ("start", "stop"), [(0, 50), (0, 2), (2, 4), (5, 9), (6, 7), (20, 30), (0, 0)]
)
def test_rows_match_the_orm(threads, start, stop):
    rows = Comment.objects.threads_page(threads.pk, start=start, stop=stop)
    assert rows == orm_answer(threads, start, stop)


def test_values_have_the_orm_types(threads):
    rows = Comment.objects.threads_page(threads.pk, start=0, stop=50)
    edited = [row.edited for row in rows if row.edited is not None]
    assert len(edited) == 1
    assert isinstance(edited[0], dt.datetime)
    assert timezone.is_aware(edited[0])
    assert all(isinstance(row.pk, int) and row.body_html for row in rows)


def test_only_published_threads_of_the_statement_count(threads):
    rows = Comment.objects.threads_page(threads.pk, start=0, stop=50)
    published = Comment.objects.filter(statement=threads, status="published")
    pending_root = Comment.objects.get(statement=threads, parent=None, status="pending")
    expected = published.exclude(thread=pending_root)
    assert {row.pk for row in rows} == set(expected.values_list("pk", flat=True))


@pytest.mark.parametrize(("start", "stop"), [(0, 50), (0, 2), (2, 4), (5, 9), (20, 30)])
def test_newest_first_rows_match_the_orm(threads, start, stop):
    roots = Comment.objects.threads_on(threads).order_by("-pk")
    wanted = list(roots.values_list("pk", flat=True)[start:stop])
    comments = sorted(
        Comment.objects.in_threads(wanted),
        key=lambda comment: wanted.index(comment.thread_id),
    )
    expected = [
        ShownComment(*(getattr(comment, name) for name in ShownComment._fields))
        for comment in comments
    ]
    rows = Comment.objects.threads_page(
        threads.pk, start=start, stop=stop, newest_first=True
    )
    assert rows == expected
    assert rows != Comment.objects.threads_page(threads.pk, start=start, stop=stop) or (
        len(wanted) < 2
    )
