import datetime as dt
from urllib.parse import parse_qs, urlencode

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communique.comments import edits, services
from communique.comments.models import Comment, ModerationAction
from communique.comments.views import moderation
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE_QUERIES = 11
DONE = {
    "approve": "%d comment approved.",
    "spam": "%d comment marked as spam.",
    "delete": "%d comment deleted.",
    "undelete": "%d comment restored.",
}
DONE_PLURAL = {
    action: text.replace("comment ", "comments ") for action, text in DONE.items()
}
LOG_QUERIES = 8


def queue_url(**params):
    url = reverse("comments:moderation")
    return f"{url}?{urlencode(params)}" if params else url


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def listed(response):
    """The ids of the comments in the queue, in the order shown."""
    boxes = soup_of(response).select(".moderation-item input[name=comments]")
    return [int(box["value"]) for box in boxes]


def item_of(response, comment):
    box = soup_of(response).find(
        "input", attrs={"name": "comments", "value": str(comment.pk)}
    )
    return box.find_parent("li")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def statuses(*comments):
    return [Comment.objects.get(pk=comment.pk).status for comment in comments]


def recorded():
    return [
        (a.comment_id, a.moderator_id, a.action, a.from_status, a.to_status)
        for a in ModerationAction.objects.order_by("pk")
    ]


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def comments(statement):
    """One or two comments in each status, created at known times."""
    now = timezone.now()

    def made(minutes_ago, status):
        created = now - dt.timedelta(minutes=minutes_ago)
        return CommentFactory(statement=statement, status=status, created=created)

    return {
        "old_pending": made(50, "pending"),
        "published": made(40, "published"),
        "spam": made(30, "spam"),
        "deleted": made(20, "deleted"),
        "new_pending": made(10, "pending"),
        "new_published": made(5, "published"),
    }


# Who may see the queue and the log


@pytest.mark.parametrize("name", ["comments:moderation", "comments:moderation_log"])
def test_anonymous_is_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign_in')}?next={reverse(name)}"


@pytest.mark.parametrize("name", ["comments:moderation", "comments:moderation_log"])
@pytest.mark.parametrize("role", ["reader", "editor"])
def test_users_without_the_permission_are_refused(client, editor, name, role):
    client.force_login(editor if role == "editor" else UserFactory())
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert soup_of(response).find("h1").get_text() == "Not allowed"


@pytest.mark.parametrize("name", ["comments:moderation", "comments:moderation_log"])
@pytest.mark.parametrize("role", ["moderator", "superuser"])
def test_moderators_and_superusers_may_open(client, moderator, name, role):
    user = moderator if role == "moderator" else UserFactory(is_superuser=True)
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    nav = soup_of(response).find("nav", class_="site-nav")
    assert nav.find("a", string="Moderation")["href"] == reverse("comments:moderation")


# Tabs, order and search


def test_default_tab_lists_pending_comments_newest_first(moderator_client, comments):
    response = moderator_client.get(queue_url())
    assert listed(response) == [comments["new_pending"].pk, comments["old_pending"].pk]
    current = soup_of(response).select_one(".tabs a[aria-current=page]")
    assert current.get_text() == "Pending (2)"


def test_all_tab_lists_pending_first_then_the_rest_newest_first(
    moderator_client, comments
):
    response = moderator_client.get(queue_url(status="all"))
    order = ["new_pending", "old_pending", "new_published", "deleted", "spam"]
    assert listed(response) == [comments[name].pk for name in [*order, "published"]]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("pending", ["new_pending", "old_pending"]),
        ("published", ["new_published", "published"]),
        ("spam", ["spam"]),
        ("deleted", ["deleted"]),
        ("bogus", ["new_pending", "old_pending"]),
        ("", ["new_pending", "old_pending"]),
        ("PENDING", ["new_pending", "old_pending"]),
        ("published' OR '1'='1", ["new_pending", "old_pending"]),
    ],
)
def test_status_tabs_filter(moderator_client, comments, status, expected):
    response = moderator_client.get(queue_url(status=status))
    assert response.status_code == 200
    assert listed(response) == [comments[name].pk for name in expected]


def test_tabs_show_their_totals(moderator_client, comments):
    tabs = soup_of(moderator_client.get(queue_url())).select(".tabs li a")
    assert [tab.get_text() for tab in tabs] == [
        "Pending (2)",
        "Published (2)",
        "Spam (1)",
        "Deleted (1)",
        "All",
        "Log",
        "Block list",
    ]


def test_empty_tab_says_so(moderator_client, comments):
    Comment.objects.filter(status="spam").delete()
    response = moderator_client.get(queue_url(status="spam"))
    assert listed(response) == []
    assert "No comments here." in response.content.decode()


def test_item_shows_statement_body_author_and_client_total(moderator_client, statement):
    comment = CommentFactory(
        statement=statement,
        status="pending",
        author_name="Shirin",
        body_source="<b>bold</b> & www.example.org",
        fingerprint="abc",
    )
    CommentFactory(status="spam", fingerprint="abc")
    alone = CommentFactory(status="pending", fingerprint="xyz")
    unknown = CommentFactory(status="pending", fingerprint="")
    response = moderator_client.get(queue_url())
    item = item_of(response, comment)
    link = item.select_one(".moderation-statement a")
    assert link.get_text() == "On the harbour"
    assert link["href"] == statement.get_absolute_url()
    assert item.find(class_="comment-author").get_text() == "Shirin"
    body = item.find("div", class_="comment-body")
    assert body.decode_contents().startswith("<p>&lt;b&gt;bold&lt;/b&gt; &amp; <a")
    assert body.find("a")["href"] == "http://www.example.org"

    def meta(comment):
        return " ".join(
            item_of(response, comment).find(class_="moderation-meta").text.split()
        )

    assert "2 comments from this client" in meta(comment)
    assert "1 comment from this client" in meta(alone)
    assert "1 comment from this client" in meta(unknown)


@pytest.mark.parametrize(
    ("fields", "search"),
    [
        ({"body_source": "Mind the gulls at noon.", "subject": "Birds"}, "GULLS"),
        ({"author_name": "Gullveig"}, "gullv"),
        ({"subject": "Gulls again"}, "gulls again"),
        ({"body_source": "100% sure, 50_50."}, "100%"),
        ({"body_source": "It's a_b."}, "a_b"),
    ],
)
def test_search_matches_body_author_and_subject(moderator_client, fields, search):
    match = CommentFactory(status="pending", **fields)
    CommentFactory(
        status="pending",
        author_name="Other",
        body_source="Nothing to see, a-b, 100 percent.",
        subject="Nothing",
    )
    response = moderator_client.get(queue_url(q=f"  {search} "))
    assert listed(response) == [match.pk]
    # The moderation search field (the header has the site search's own).
    field = soup_of(response).select_one("main input[name=q]")
    assert field["value"] == search


def test_search_stays_within_the_tab(moderator_client):
    CommentFactory(status="pending", body_source="Gulls are loud.")
    spam = CommentFactory(status="spam", body_source="Gulls for sale.")
    response = moderator_client.get(queue_url(status="spam", q="gulls"))
    assert listed(response) == [spam.pk]
    hidden = soup_of(response).find("input", attrs={"name": "status", "type": "hidden"})
    assert hidden["value"] == "spam"


def test_later_pages_keep_the_tab_and_the_search(moderator_client, monkeypatch):
    monkeypatch.setattr(moderation, "PER_PAGE", 2)
    spam = [
        CommentFactory(status="spam", body_source=f"Cheap pills {n}.") for n in range(3)
    ]
    CommentFactory.create_batch(3, status="pending", body_source="Cheap talk.")
    response = moderator_client.get(queue_url(status="spam", q="pills"))
    assert listed(response) == [spam[2].pk, spam[1].pk]
    href = soup_of(response).select_one(".pagination a[rel=next]")["href"]
    assert parse_qs(href.lstrip("?")) == {
        "status": ["spam"],
        "q": ["pills"],
        "page": ["2"],
    }
    assert listed(moderator_client.get(reverse("comments:moderation") + href)) == [
        spam[0].pk
    ]


# Bulk actions


def test_approve_publishes_and_records_each_change(
    client, moderator_client, moderator, statement
):
    first = CommentFactory(statement=statement, status="pending", body_source="First.")
    second = CommentFactory(statement=statement, status="pending", body_source="Two.")
    waiting = CommentFactory(statement=statement, status="pending", body_source="Wait.")
    url = queue_url(status="pending", q="")
    response = moderator_client.post(
        url, {"action": "approve", "comments": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert messages_of(response) == ["2 comments approved."]
    assert statuses(first, second, waiting) == ["published", "published", "pending"]
    assert sorted(recorded()) == [
        (first.pk, moderator.pk, "approve", "pending", "published"),
        (second.pk, moderator.pk, "approve", "pending", "published"),
    ]
    client.logout()
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "First." in page
    assert "Two." in page
    assert "Wait." not in page


@pytest.mark.parametrize(
    ("action", "before", "after"),
    [
        ("approve", "pending", "published"),
        ("approve", "spam", "published"),
        ("spam", "pending", "spam"),
        ("spam", "published", "spam"),
        ("delete", "pending", "deleted"),
        ("delete", "published", "deleted"),
        ("delete", "spam", "deleted"),
    ],
)
def test_actions_move_comments(moderator_client, moderator, action, before, after):
    comment = CommentFactory(status=before)
    response = moderator_client.post(
        queue_url(), {"action": action, "comments": [comment.pk]}
    )
    assert messages_of(response) == [DONE[action] % 1]
    assert statuses(comment) == [after]
    assert recorded() == [(comment.pk, moderator.pk, action, before, after)]


def test_spam_and_deleted_comments_leave_the_statement_page(
    client, moderator_client, statement
):
    spam = CommentFactory(statement=statement, body_source="Buy cheap pills.")
    rude = CommentFactory(statement=statement, body_source="Rude words.")
    moderator_client.post(queue_url(), {"action": "spam", "comments": [spam.pk]})
    moderator_client.post(queue_url(), {"action": "delete", "comments": [rude.pk]})
    client.logout()
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Buy cheap pills." not in page
    assert "Rude words." not in page


def act(client, action, *comments):
    return client.post(
        queue_url(), {"action": action, "comments": [c.pk for c in comments]}
    )


@pytest.mark.parametrize("before", ["published", "pending", "spam"])
def test_undelete_restores_the_status_before_deletion(moderator_client, before):
    comment = CommentFactory(status=before)
    act(moderator_client, "delete", comment)
    assert statuses(comment) == ["deleted"]
    act(moderator_client, "undelete", comment)
    assert statuses(comment) == [before]
    assert [row[2:] for row in recorded()] == [
        ("delete", before, "deleted"),
        ("undelete", "deleted", before),
    ]


def test_undelete_uses_the_latest_deletion(moderator_client):
    comment = CommentFactory(status="published")
    for action in ("delete", "undelete", "spam", "delete", "undelete"):
        act(moderator_client, action, comment)
    assert statuses(comment) == ["spam"]


def test_undelete_without_a_recorded_deletion_goes_back_to_review(moderator_client):
    comment = CommentFactory(status="deleted")
    act(moderator_client, "undelete", comment)
    assert statuses(comment) == ["pending"]


def test_undelete_restores_each_comment_to_its_own_status(moderator_client):
    published = CommentFactory(status="published")
    pending = CommentFactory(status="pending")
    act(moderator_client, "delete", published, pending)
    act(moderator_client, "undelete", published, pending)
    assert statuses(published, pending) == ["published", "pending"]


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("undelete", "published"),
        ("undelete", "pending"),
        ("undelete", "spam"),
        ("approve", "deleted"),
        ("approve", "published"),
        ("spam", "spam"),
        ("delete", "deleted"),
    ],
)
def test_actions_that_change_nothing_record_nothing(moderator_client, action, status):
    comment = CommentFactory(status=status)
    response = act(moderator_client, action, comment)
    assert response.status_code == 302
    assert messages_of(response) == [DONE_PLURAL[action] % 0]
    assert statuses(comment) == [status]
    assert recorded() == []


@pytest.mark.parametrize("action", ["", "publish", "APPROVE", "__class__", "get", None])
def test_unknown_action_is_a_bad_request(moderator_client, action):
    comment = CommentFactory(status="pending")
    data = {"comments": [comment.pk]}
    if action is not None:
        data["action"] = action
    response = moderator_client.post(queue_url(), data)
    assert response.status_code == 400
    assert response.content.decode() == "Choose an action to apply."
    assert statuses(comment) == ["pending"]
    assert recorded() == []


@pytest.mark.parametrize("ids", [[], [""], ["abc"], ["-1", "1.0"]])
def test_no_comments_chosen_is_a_warning(moderator_client, ids):
    comment = CommentFactory(status="pending")
    response = moderator_client.post(
        queue_url(), {"action": "approve", "comments": ids}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Select at least one comment first."]
    page = moderator_client.get(response["Location"]).content.decode()
    assert "Select at least one comment first." in page
    assert statuses(comment) == ["pending"]


@pytest.mark.parametrize(
    "junk",
    [
        "abc",
        "1 OR 1=1",
        "-1",
        "1.0",
        " 1",
        "0x1",
        "1e3",
        "",
        "999999",
        "\u00b2",  # SUPERSCRIPT TWO: str.isdigit() says yes, int() says no
        "9" * 30,  # digits, but beyond any database integer
    ],
)
def test_ids_that_are_not_plain_numbers_are_ignored(moderator_client, junk):
    comment = CommentFactory(status="pending")
    response = moderator_client.post(
        queue_url(), {"action": "approve", "comments": [junk, str(comment.pk)]}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["1 comment approved."]
    assert statuses(comment) == ["published"]


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_queue_refuses_other_methods(moderator_client, method):
    assert getattr(moderator_client, method)(queue_url()).status_code == 405


@pytest.mark.parametrize("action", ["approve", "spam", "delete", "undelete"])
def test_bulk_actions_require_the_csrf_token(moderator, action):
    comment = CommentFactory(status="deleted" if action == "undelete" else "pending")
    before = statuses(comment)
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    response = client.post(queue_url(), {"action": action, "comments": [comment.pk]})
    assert response.status_code == 403
    assert statuses(comment) == before
    assert recorded() == []


def test_bulk_action_with_the_page_token_works(moderator):
    comment = CommentFactory(status="pending")
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    form = soup_of(client.get(queue_url())).find("form", attrs={"method": "post"})
    token = form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    response = client.post(
        queue_url(),
        {"csrfmiddlewaretoken": token, "action": "approve", "comments": [comment.pk]},
    )
    assert response.status_code == 302
    assert statuses(comment) == ["published"]


def test_queue_form_offers_every_action(moderator_client):
    CommentFactory(status="pending")
    select = soup_of(moderator_client.get(queue_url())).find("select", id="bulk-action")
    options = [(o["value"], o.get_text()) for o in select.find_all("option")]
    assert options == [
        ("approve", "Approve"),
        ("spam", "Mark as spam"),
        ("delete", "Delete"),
        ("undelete", "Restore"),
    ]
    assert set(dict(options)) == set(moderation.ACTIONS)


# Number of queries


def make_queue(count):
    authors = UserFactory.create_batch(2)
    for n in range(count):
        CommentFactory(
            status=["pending", "spam", "published"][n % 3],
            user=authors[n % 2] if n % 4 else None,
            fingerprint=f"client-{n % 5}",
            email=f"reader{n}@example.org",
        )


@pytest.mark.parametrize("params", [{}, {"status": "all"}, {"status": "all", "q": "e"}])
def test_queue_queries_do_not_grow_with_the_comments(
    moderator_client, django_assert_max_num_queries, params
):
    make_queue(5)
    with django_assert_max_num_queries(QUEUE_QUERIES) as few:
        response = moderator_client.get(queue_url(**params))
    assert len(listed(response)) >= 2
    make_queue(25)
    with django_assert_max_num_queries(QUEUE_QUERIES) as many:
        response = moderator_client.get(queue_url(**params))
    assert len(listed(response)) >= 10
    assert len(many) == len(few)


def test_log_queries_do_not_grow_with_the_actions(
    moderator_client, moderator, django_assert_max_num_queries
):
    def moderate(count):
        for _ in range(count):
            services.approve_comments(
                Comment.objects.filter(pk=CommentFactory(status="pending").pk),
                moderator=moderator,
            )

    moderate(5)
    with django_assert_max_num_queries(LOG_QUERIES) as few:
        moderator_client.get(reverse("comments:moderation_log"))
    moderate(25)
    with django_assert_max_num_queries(LOG_QUERIES) as many:
        response = moderator_client.get(reverse("comments:moderation_log"))
    assert len(soup_of(response).select("tbody tr")) == 30
    assert len(many) == len(few)


# The log


def test_log_lists_actions_newest_first_with_who_and_what(
    moderator_client, moderator, statement
):
    other = UserFactory(username="gone-moderator")
    first = CommentFactory(statement=statement, status="pending", author_name="Kaveh")
    second = CommentFactory(statement=statement, status="pending", author_name="Leyla")
    services.approve_comments(Comment.objects.filter(pk=first.pk), moderator=other)
    services.mark_spam(Comment.objects.filter(pk=second.pk), moderator=moderator)
    services.delete_comments(Comment.objects.filter(pk=first.pk), moderator=moderator)
    start = timezone.now() - dt.timedelta(hours=1)
    for minutes, action in enumerate(ModerationAction.objects.order_by("pk")):
        ModerationAction.objects.filter(pk=action.pk).update(
            created=start + dt.timedelta(minutes=minutes)
        )
    other.delete()
    response = moderator_client.get(reverse("comments:moderation_log"))
    rows = [
        [" ".join(cell.get_text().split()) for cell in row.find_all("td")[1:]]
        for row in soup_of(response).select("table.moderation-log tbody tr")
    ]
    assert rows == [
        [
            moderator.username,
            "Deleted",
            "Kaveh on On the harbour",
            "Published → Deleted",
        ],
        [
            moderator.username,
            "Marked as spam",
            "Leyla on On the harbour",
            "Pending → Spam",
        ],
        ["—", "Approved", "Kaveh on On the harbour", "Pending → Published"],
    ]
    link = soup_of(response).select_one("table.moderation-log tbody a")
    assert link["href"] == statement.get_absolute_url()


def test_log_records_edits(moderator_client, moderator):
    comment = CommentFactory(status="published")
    edits.edit_comment(comment=comment, subject="", body="Changed.", editor=moderator)
    response = moderator_client.get(reverse("comments:moderation_log"))
    cells = soup_of(response).select("table.moderation-log tbody tr td")
    assert cells[2].get_text() == "Edited"
    assert " ".join(cells[4].get_text().split()) == "Published → Published"


def test_empty_log_says_so(moderator_client):
    response = moderator_client.get(reverse("comments:moderation_log"))
    assert "No moderation actions yet." in response.content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_log_is_read_only(moderator_client, method):
    response = getattr(moderator_client, method)(reverse("comments:moderation_log"))
    assert response.status_code == 405
