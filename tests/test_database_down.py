"""When the database does not answer: a post gets 503 with ``Retry-After`` and
the reader's text, from wherever the error comes; a stored comment is never
answered with an error, whatever fails after it was stored (mail to the
moderators, the session); the site answers again as soon as the database is
back. The last against a PostgreSQL cluster of the test's own."""

import logging
import urllib.error
import urllib.request
from email.message import Message
from urllib.parse import urlencode

import psycopg
import pytest
from bs4 import BeautifulSoup
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.urls import reverse

from communique.comments import notifications
from communique.comments.models import Comment
from communique.views import part_unavailable
from tests import throwaway
from tests.factories import ModeratorFactory
from tests.helpers import FormClient
from tests.live_server import communique, fetch, serving

BODY = "What we typed must not be lost.\nSecond line."


@pytest.fixture(autouse=True)
def _guards_off(no_captcha, post_at_once):
    """The database, not the spam guards, is what these tests are about."""


def form(**changes) -> dict[str, str]:
    return {"author_name": "Nasrin", "body": BODY, "op": "save", **changes}


def kept_body(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find("textarea", id="kept-body").get_text()


def assert_unavailable_keeping_text(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert kept_body(response) == BODY


# Where the error comes from


class DatabaseGoneOnView:
    """A middleware that meets the database gone before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        raise OperationalError("connection refused")


@pytest.mark.django_db
def test_the_database_gone_under_a_middleware_gives_the_503(settings, statement):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.DatabaseGoneOnView"]
    client = FormClient(raise_request_exception=False)
    response = client.post(reverse("comments:post", args=[statement.pk]), form())
    assert_unavailable_keeping_text(response)


@pytest.mark.django_db
def test_the_database_gone_while_loading_the_session_gives_the_503(
    monkeypatch, statement
):
    def gone(self):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(SessionStore, "load", gone)
    client = FormClient(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    response = client.post(reverse("comments:post", args=[statement.pk]), form())
    assert_unavailable_keeping_text(response)
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (OperationalError("gone"), True),
        (psycopg.OperationalError("gone"), False),  # Django wraps these
        (ConnectionRefusedError(), True),  # the cache's files or socket
        (ValueError("bad"), False),
        (None, False),
    ],
)
def test_which_errors_are_a_part_not_answering(error, unavailable):
    assert part_unavailable(error) is unavailable


def test_an_error_raised_from_a_part_not_answering_is_one_too():
    try:
        try:
            raise OperationalError("gone")
        except OperationalError as cause:
            raise RuntimeError("while rendering") from cause
    except RuntimeError as error:
        assert part_unavailable(error)


# After the comment is stored


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "failure",
    [RuntimeError("mail template broken"), OperationalError("database gone")],
    ids=["mail", "database"],
)
def test_a_failing_mail_after_commit_is_logged_not_shown(
    client, monkeypatch, caplog, statement, failure
):
    ModeratorFactory()

    def fails(*args, **kwargs):
        raise failure

    monkeypatch.setattr(notifications, "send_mail", fails)
    with caplog.at_level(logging.ERROR):
        response = client.post(reverse("comments:post", args=[statement.pk]), form())
    assert response.status_code == 302
    assert Comment.objects.get().body_source == BODY
    assert any(
        "notify_moderators" in record.getMessage() and record.exc_info
        for record in caplog.records
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_not_saved_after_the_comment_was_still_answers_success(
    settings, monkeypatch, statement
):
    settings.COMMUNIQUE_CAPTCHA_SKIP_AFTER_SOLVED_MINUTES = 5  # writes the session

    def gone(self, must_create=False):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "save", gone)
    client = FormClient(raise_request_exception=False)
    response = client.post(reverse("comments:post", args=[statement.pk]), form())
    assert response.status_code == 302
    assert response["Location"] == statement.get_absolute_url()
    assert Comment.objects.get().body_source == BODY


# Against PostgreSQL, stopped and started again


@pytest.fixture(scope="module")
def cluster():
    reason = throwaway.missing()
    if reason:
        pytest.skip(f"needs a throwaway PostgreSQL cluster: {reason}")
    with throwaway.postgres() as cluster:
        yield cluster


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post(base: str, action: str, body: str) -> tuple[int, Message, str]:
    """(status, headers, page) of a comment posted as the page's form posts it."""
    data = urlencode(form(body=body)).encode()
    request = urllib.request.Request(base + action, data=data, headers={"Origin": base})
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers, answer.read().decode()


@pytest.mark.server
def test_posting_while_postgresql_is_stopped_and_after(tmp_path, cluster):
    env = {
        "COMMUNIQUE_DATABASE_URL": cluster.url,
        "COMMUNIQUE_CAPTCHA_ENABLED": "false",
        "COMMUNIQUE_ANTISPAM_RATE_LIMITS": "false",
        "COMMUNIQUE_ANTISPAM_MIN_SECONDS": "0",
    }
    for command in (["migrate"], ["demo", "--no-serve"]):
        done = communique(*command, data_dir=tmp_path, env=env)
        assert done.returncode == 0, done.stderr
    with serving(tmp_path, env=env) as (base, _):
        front = fetch(base + "/")[2].decode()
        page = front.split('href="/statements/', 1)[1].split('"', 1)[0]
        page = f"/statements/{page}"
        form = fetch(base + page)[2].decode().split('id="comment-form"', 1)[1]
        action = form.split('action="', 1)[1].split('"', 1)[0].split("#", 1)[0]
        assert post(base, action, "before")[0] == 302

        cluster.stop()
        try:
            status, headers, text = post(base, action, BODY)
            read = fetch(base + page)[1]
        finally:
            cluster.start()
        assert (status, headers["Retry-After"]) == (503, "30")
        soup = BeautifulSoup(text, "html.parser")
        assert soup.find("textarea", id="kept-body").get_text() == BODY
        assert read == 200  # readers keep reading, from the page cache

        assert post(base, action, "after")[0] == 302
    with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as db:
        query = "SELECT body_source FROM comments_comment WHERE body_source = ANY(%s)"
        stored = db.execute(query, (["before", "after", BODY],)).fetchall()
    assert sorted(body for (body,) in stored) == ["after", "before"]
