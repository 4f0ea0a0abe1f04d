import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from communique.comments import services
from communique.comments.models import Comment
from tests.factories import CommentFactory, StatementFactory

pytestmark = pytest.mark.django_db


def comment_ids(response) -> list[int]:
    page = BeautifulSoup(response.content, "html.parser")
    return [
        int(article["id"].removeprefix("comment-"))
        for article in page.select("#comments article.comment")
    ]


def test_comments_come_in_thread_order(client, statement):
    first = CommentFactory(statement=statement)
    second = CommentFactory(statement=statement)
    reply_to_first = CommentFactory(statement=statement, parent=first)
    reply_to_reply = CommentFactory(statement=statement, parent=reply_to_first)
    later_reply_to_first = CommentFactory(statement=statement, parent=first)
    response = client.get(statement.get_absolute_url())
    assert comment_ids(response) == [
        first.pk,
        reply_to_first.pk,
        reply_to_reply.pk,
        later_reply_to_first.pk,
        second.pk,
    ]
    page = BeautifulSoup(response.content, "html.parser")
    reply = page.find(id=f"comment-{reply_to_first.pk}")
    assert "comment-depth-2" in reply["class"]
    assert first.author_name in reply.find(class_="comment-reply-to").get_text()


def test_only_published_comments_and_their_published_replies_show(client, statement):
    shown = CommentFactory(statement=statement)
    pending = CommentFactory(statement=statement, status="pending")
    parent = CommentFactory(statement=statement)
    orphan = CommentFactory(statement=statement, parent=parent)
    Comment.objects.filter(pk=parent.pk).update(status="spam")
    ids = comment_ids(client.get(statement.get_absolute_url()))
    assert ids == [shown.pk]
    assert pending.pk not in ids
    assert orphan.pk not in ids


def test_comment_count_counts_published_only(client, statement):
    CommentFactory(statement=statement)
    CommentFactory(statement=statement)
    CommentFactory(statement=statement, status="pending")
    page = BeautifulSoup(
        client.get(statement.get_absolute_url()).content, "html.parser"
    )
    assert page.find(id="comments-heading").get_text() == "2 comments"
    front = BeautifulSoup(client.get("/").content, "html.parser")
    assert "2 comments" in front.select_one("article.summary .meta").get_text()


def test_the_remembered_counts_follow_moderation(
    client, statement, settings, moderator, django_capture_on_commit_callbacks
):
    """Counts are remembered until the statement's comments change, so they
    follow every change even with the page cache off."""
    settings.COMMUNIQUE_PAGE_CACHE = False
    settings.COMMUNIQUE_COMMENTS_PER_PAGE = 1
    first = CommentFactory(statement=statement)
    waiting = CommentFactory(statement=statement, status="pending")

    def heading_and_pages():
        page = BeautifulSoup(
            client.get(statement.get_absolute_url()).content, "html.parser"
        )
        pages = page.select("#comments .pagination a:not([rel])")
        return page.find(id="comments-heading").get_text(), [
            number.get_text() for number in pages
        ]

    assert heading_and_pages() == ("1 comment", [])
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_comments(
            Comment.objects.filter(pk=waiting.pk), moderator=moderator
        )
    assert heading_and_pages() == ("2 comments", ["1", "2"])
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_comments(
            Comment.objects.filter(pk=first.pk), moderator=moderator
        )
    assert heading_and_pages() == ("1 comment", [])


def test_threads_are_paginated_and_permalinks_find_the_page(
    client, statement, settings
):
    settings.COMMUNIQUE_COMMENTS_PER_PAGE = 2
    threads = [CommentFactory(statement=statement) for _ in range(5)]
    reply = CommentFactory(statement=statement, parent=threads[2])
    url = statement.get_absolute_url()
    assert comment_ids(client.get(url)) == [threads[0].pk, threads[1].pk]
    assert comment_ids(client.get(url, {"page": 2})) == [
        threads[2].pk,
        reply.pk,
        threads[3].pk,
    ]
    assert client.get(url, {"page": 9}).status_code == 404
    response = client.get(reverse("comments:permalink", args=[reply.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{url}?page=2#comment-{reply.pk}"
    first = client.get(reverse("comments:permalink", args=[threads[0].pk]))
    assert first["Location"] == f"{url}#comment-{threads[0].pk}"


@pytest.mark.parametrize("status", ["pending", "spam", "deleted"])
def test_permalink_of_unpublished_comment_is_404(client, statement, status):
    comment = CommentFactory(statement=statement, status=status)
    assert (
        client.get(reverse("comments:permalink", args=[comment.pk])).status_code == 404
    )


def test_unknown_comment_ids_are_404(client):
    for name in ("comments:permalink", "comments:reply"):
        assert client.get(reverse(name, args=[424242])).status_code == 404


def test_statement_page_queries_do_not_grow_with_comments(
    client, statement, django_assert_max_num_queries
):
    for _ in range(3):
        parent = CommentFactory(statement=statement)
        CommentFactory(statement=statement, parent=parent)
    with django_assert_max_num_queries(8):
        client.get(statement.get_absolute_url())
    for _ in range(20):
        parent = CommentFactory(statement=statement)
        CommentFactory(statement=statement, parent=parent)
    with django_assert_max_num_queries(8):
        client.get(statement.get_absolute_url())


def test_front_page_queries_do_not_grow_with_comments(
    client, django_assert_max_num_queries
):
    for _ in range(5):
        statement = StatementFactory()
        for _ in range(3):
            CommentFactory(statement=statement)
    with django_assert_max_num_queries(3):
        client.get("/")


def test_persian_comment_gets_automatic_direction(client, statement):
    comment = CommentFactory(
        statement=statement, body_source="سلام https://example.org"
    )
    page = BeautifulSoup(
        client.get(statement.get_absolute_url()).content, "html.parser"
    )
    body = page.find(id=f"comment-{comment.pk}").find(class_="comment-body")
    assert body["dir"] == "auto"
    assert body.find("a")["href"] == "https://example.org"


def test_author_homepage_is_a_nofollow_link(client, statement):
    comment = CommentFactory(statement=statement)
    Comment.objects.filter(pk=comment.pk).update(homepage="https://example.org/me")
    page = BeautifulSoup(
        client.get(statement.get_absolute_url()).content, "html.parser"
    )
    link = page.find(id=f"comment-{comment.pk}").select_one(".comment-author a")
    assert link["href"] == "https://example.org/me"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]


def test_author_sees_an_edit_link_on_a_fresh_comment(client, statement):
    from tests.factories import UserFactory

    author = UserFactory()
    mine = CommentFactory(statement=statement, user=author)
    theirs = CommentFactory(statement=statement)
    client.force_login(author)
    page = BeautifulSoup(
        client.get(statement.get_absolute_url()).content, "html.parser"
    )
    edit_url = reverse("comments:edit", args=[mine.pk])
    assert page.find(id=f"comment-{mine.pk}").find("a", href=edit_url) is not None
    assert page.find(id=f"comment-{theirs.pk}").find("a", string="Edit") is None
    client.logout()
    anonymous = client.get(statement.get_absolute_url()).content.decode()
    assert edit_url not in anonymous
