"""Each comment's article is rendered once per worker and changes with it."""

import pytest
from django.test.signals import template_rendered
from django.test.utils import override_settings

from communique.comments import articles
from communique.comments.models import Comment
from communique.comments.querysets import ShownComment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered():
    """How many comment articles were rendered from the template."""
    names = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield lambda: names.count("comments/_comment.html")
    template_rendered.disconnect(record)


def rows_of(statement) -> list[ShownComment]:
    return Comment.objects.threads_page(statement.pk, start=0, stop=50)


def html_of(statement, **options) -> str:
    options.setdefault("replies_allowed", True)
    return articles.articles_html(rows_of(statement), **options)


def test_a_second_page_reuses_every_article(statement, rendered):
    for _ in range(3):
        CommentFactory(statement=statement)
    first = html_of(statement)
    assert rendered() == 3
    assert html_of(statement) == first
    assert rendered() == 3


def test_an_edit_or_new_reply_renders_only_what_changed(statement, rendered):
    first, second = (
        CommentFactory(statement=statement),
        CommentFactory(statement=statement),
    )
    html_of(statement)
    Comment.objects.filter(pk=first.pk).update(
        body_html="<p>Changed words.</p>", edited=first.created
    )
    CommentFactory(statement=statement, parent=second)
    page = html_of(statement)
    assert rendered() == 2 + 2  # the edited comment and the new reply
    assert "Changed words." in page
    assert "in reply to" in page


def test_what_the_reader_may_do_is_part_of_the_article(statement, rendered):
    comment = CommentFactory(statement=statement)
    assert "Reply" in html_of(statement)
    assert "Reply" not in html_of(statement, replies_allowed=False)
    assert "/edit/" in html_of(statement, editable={comment.pk})
    assert rendered() == 3


@override_settings(LANGUAGES=[("en", "English"), ("de", "German")])
def test_each_language_has_its_own_copy(statement, rendered):
    from django.utils import translation

    CommentFactory(statement=statement)
    html_of(statement)
    with translation.override("de"):
        html_of(statement)
    assert rendered() == 2


def test_a_comment_gone_since_the_rows_were_read_is_left_out(statement):
    kept, gone = (
        CommentFactory(statement=statement),
        CommentFactory(statement=statement),
    )
    rows = rows_of(statement)
    Comment.objects.filter(pk=gone.pk).delete()
    for _ in range(2):
        page = articles.articles_html(rows, replies_allowed=True)
        assert f'id="comment-{kept.pk}"' in page
        assert f'id="comment-{gone.pk}"' not in page


def test_an_address_prefix_has_its_own_copy(statement, rendered):
    from django.urls import set_script_prefix

    comment = CommentFactory(statement=statement)
    html_of(statement)
    set_script_prefix("/site/")
    try:
        assert f'href="/site/comments/{comment.pk}/' in html_of(statement)
    finally:
        set_script_prefix("/")
    assert rendered() == 2


def test_replies_show_only_under_shown_parents():
    def row(pk, parent_id=None):
        return ShownComment(pk, parent_id, 1, None, "", f"Reader {pk}", "", "")

    rows = [row(1), row(2, 1), row(3, 2), row(5, 4), row(6, 5), row(7)]
    assert [r.pk for r in articles.shown_in_order(rows)] == [1, 2, 3, 7]
