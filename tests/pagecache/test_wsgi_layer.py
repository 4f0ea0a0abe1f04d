"""The WSGI layer that serves a worker's fresh pages before Django sees them.

These tests call the real WSGI application (`communique.wsgi.application`),
so Django's own CSRF checks run on the forms the layer filled.
"""

import subprocess
import sys
import time
from http.cookies import SimpleCookie

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import reverse

from communique.pagecache import generation, pages, tags
from communique.pagecache.snapshot import SHARED_BACKENDS
from communique.publishing import services as publishing
from communique.wsgi import application
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db
PREVIEW = {"author_name": "A", "body": "Hello.", "op": "preview"}


@pytest.fixture(autouse=True)
def _cache_and_captcha_on(settings):
    settings.COMMUNIQUE_PAGE_CACHE = True
    settings.COMMUNIQUE_CAPTCHA_ENABLED = True
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 0


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """As Django's test client does: the test's transaction must stay open,
    so Django's handler may not close the connection around a request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def django_calls():
    """How many requests reached Django's handler."""
    calls = []

    def count(**kwargs):
        calls.append(1)

    request_started.connect(count)
    yield calls
    request_started.disconnect(count)


@pytest.fixture
def statement():
    return StatementFactory(title="Layered statement")


class Served:
    def __init__(self, environ):
        self.status = ""
        self.headers = []
        self.body = b"".join(application(environ, self._start_response))

    def _start_response(self, status, headers, exc_info=None):
        self.status, self.headers = status, headers

    def header(self, name):
        values = [v for n, v in self.headers if n.lower() == name.lower()]
        return values[0] if values else None

    def cookie(self):
        jar = SimpleCookie()
        jar.load(self.header("Set-Cookie") or "")
        return jar["csrftoken"]

    def form_values(self):
        page = BeautifulSoup(self.body, "html.parser")
        token = page.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
        challenge = page.find("input", attrs={"name": "captcha_0"})["value"]
        return token, challenge


def get(path, method="get", **headers):
    return Served(getattr(RequestFactory(), method)(path, **headers).environ)


def post(path, data, **headers):
    return Served(RequestFactory().post(path, data, **headers).environ)


def test_the_second_request_is_served_before_django(
    statement, django_calls, django_assert_num_queries
):
    url = statement.get_absolute_url()
    first = get(url)
    assert first.status == "200 OK"
    assert len(django_calls) == 1
    with django_assert_num_queries(0):
        second = get(url)
    assert second.status == "200 OK"
    assert len(django_calls) == 1
    assert "Layered statement" in second.body.decode()
    assert b"placeholder" not in second.body
    assert int(second.header("Content-Length")) == len(second.body)


def test_the_layer_sends_what_django_sends(statement):
    url = statement.get_absolute_url()
    from_django, from_memory = get(url), get(url)
    assert from_django.status == from_memory.status == "200 OK"

    def without_cookie(served):
        return {n: v for n, v in served.headers if n.lower() != "set-cookie"}

    assert without_cookie(from_memory) == without_cookie(from_django)
    django_cookie, memory_cookie = from_django.cookie(), from_memory.cookie()
    for attribute in ("max-age", "path", "domain", "secure", "httponly", "samesite"):
        assert memory_cookie[attribute] == django_cookie[attribute], attribute
    assert memory_cookie["expires"]
    assert len(memory_cookie.value) == len(django_cookie.value) == 32


def test_readers_get_their_own_values_and_django_accepts_them(statement):
    url = statement.get_absolute_url()
    get(url)
    alice, bob = get(url), get(url)
    alice_token, alice_challenge = alice.form_values()
    bob_token, bob_challenge = bob.form_values()
    assert alice_token != bob_token
    assert alice_challenge != bob_challenge
    assert alice.cookie().value != bob.cookie().value

    post_url = reverse("comments:post", args=[statement.pk])
    alice_cookie = f"csrftoken={alice.cookie().value}"
    accepted = post(
        post_url,
        {**PREVIEW, "csrfmiddlewaretoken": alice_token},
        HTTP_COOKIE=alice_cookie,
    )
    assert accepted.status == "200 OK"
    assert PREVIEW["body"] in accepted.body.decode()
    refused = post(
        post_url,
        {**PREVIEW, "csrfmiddlewaretoken": bob_token},
        HTTP_COOKIE=alice_cookie,
    )
    assert refused.status.startswith("403")


def test_a_returning_reader_keeps_the_secret(statement, django_calls):
    url = statement.get_absolute_url()
    first = get(url)
    secret = first.cookie().value
    again = get(url, HTTP_COOKIE=f"csrftoken={secret}")
    assert len(django_calls) == 1
    assert again.cookie().value == secret
    token, _ = again.form_values()
    accepted = post(
        reverse("comments:post", args=[statement.pk]),
        {**PREVIEW, "csrfmiddlewaretoken": token},
        HTTP_COOKIE=f"csrftoken={secret}",
    )
    assert accepted.status == "200 OK"


def test_a_malformed_csrf_cookie_is_replaced(statement, django_calls):
    url = statement.get_absolute_url()
    get(url)
    served = get(url, HTTP_COOKIE="csrftoken=not*a*secret")
    assert len(django_calls) == 1
    assert served.cookie().value != "not*a*secret"
    assert len(served.cookie().value) == 32


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "messages=abc"},
        {"HTTP_AUTHORIZATION": "Basic eDp5"},
        {"HTTP_IF_MODIFIED_SINCE": "Sat, 28 Nov 2026 00:00:00 GMT"},
    ],
    ids=["session", "message", "authorization", "conditional"],
)
def test_these_requests_go_to_django(statement, django_calls, headers):
    url = statement.get_absolute_url()
    get(url)
    get(url, **headers)
    assert len(django_calls) == 2


def test_a_304_comes_from_django_with_the_stored_etag(statement):
    url = statement.get_absolute_url()
    first = get(url)
    not_modified = get(url, HTTP_IF_NONE_MATCH=first.header("ETag"))
    assert not_modified.status.startswith("304")
    assert not_modified.body == b""


def test_head_gets_the_length_of_the_page_and_no_body(statement, django_calls):
    url = statement.get_absolute_url()
    page = get(url)
    head = get(url, method="head")
    assert len(django_calls) == 1
    assert head.body == b""
    assert int(head.header("Content-Length")) == len(page.body)


def test_a_change_is_shown_on_the_next_request(
    statement, django_capture_on_commit_callbacks
):
    url = statement.get_absolute_url()
    get(url), get(url)
    statement.title = "Retitled in place"
    with django_capture_on_commit_callbacks(execute=True):
        publishing.save_statement(statement=statement)
    assert "Retitled in place" in get(url).body.decode()
    assert "Retitled in place" in get(url).body.decode()


def test_another_process_moving_the_generation_retires_the_copies(
    statement, django_calls
):
    """The marker is shared memory: a move in any worker is seen in all."""
    url = statement.get_absolute_url()
    get(url)
    before = generation.current()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from communique.pagecache import generation; generation.advance()",
        ],
        check=True,
        timeout=60,
    )
    assert generation.current() != before
    get(url)
    assert len(django_calls) == 2  # checked again against the tags, by Django
    get(url)
    assert len(django_calls) == 2  # and served from memory once more


def test_an_old_copy_is_not_served(statement, django_calls):
    url = statement.get_absolute_url()
    get(url)
    key = pages.page_key(RequestFactory().get(url).environ, {})
    page = pages.local_pages.get(key)
    old = pages.Entry(
        **{**page.entry.__dict__, "stored_at": time.time() - 10_000},
    )
    pages.local_pages.put(key, pages.LocalPage(old, page.generation))
    get(url)
    assert len(django_calls) == 2


def test_the_layer_stays_out_when_the_cache_is_off(statement, django_calls, settings):
    settings.COMMUNIQUE_PAGE_CACHE = False
    url = statement.get_absolute_url()
    get(url), get(url)
    assert len(django_calls) == 2


@pytest.fixture
def redis_cache(settings):
    if settings.CACHES["default"]["BACKEND"] not in SHARED_BACKENDS:
        pytest.skip(
            "COMMUNIQUE_CACHE_URL does not name Redis (.ci/run sets it when a "
            "server answers on 127.0.0.1:6379)"
        )


def move_on_another_machine(statement):
    """What another machine's invalidation leaves in Redis: new tag tokens and
    a new shared generation. This machine's marker file does not move."""
    cache.set(tags.TAG_PREFIX + tags.statement_tag(statement.pk), "new", None)
    cache.set(generation.SHARED_KEY, f"moved elsewhere {time.time()}", None)


@pytest.mark.usefixtures("redis_cache")
def test_with_redis_a_move_on_another_machine_is_seen(
    statement, django_calls, settings
):
    settings.COMMUNIQUE_PAGE_CACHE_SHARED_CHECK_MS = 0
    url = statement.get_absolute_url()
    get(url)
    move_on_another_machine(statement)
    get(url)
    assert len(django_calls) == 2


@pytest.mark.usefixtures("redis_cache")
def test_with_redis_redis_is_asked_once_per_check_interval(
    statement, django_calls, settings
):
    settings.COMMUNIQUE_PAGE_CACHE_SHARED_CHECK_MS = 2000
    url = statement.get_absolute_url()
    get(url)
    move_on_another_machine(statement)
    get(url)
    assert len(django_calls) == 1  # within the interval: not asked yet
    time.sleep(2.05)
    get(url)
    assert len(django_calls) == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"PATH_INFO": "/statements/a\x00b/"},
        {"PATH_INFO": "/statements/\xff\xfe/"},  # not UTF-8, as WSGI passes it
        {"QUERY_STRING": "page=%00"},
        {"QUERY_STRING": "page=2" * 5000},
        {"HTTP_COOKIE": "csrftoken=\x00; =;;; sessionid"},
        {"HTTP_COOKIE": "csrftoken=" + "A" * 10_000},
        {"HTTP_HOST": "evil.example.org"},
        {"HTTP_HOST": ""},
        {"REQUEST_METHOD": "PROPFIND"},
        {"REQUEST_METHOD": "get"},
    ],
    ids=[
        "nul-in-path",
        "latin-1-path",
        "nul-in-query",
        "long-query",
        "broken-cookies",
        "huge-csrf-cookie",
        "unknown-host",
        "empty-host",
        "unknown-method",
        "lowercase-method",
    ],
)
def test_hostile_requests_get_an_answer_not_an_error(statement, changes):
    url = statement.get_absolute_url()
    get(url), get(url)  # the page is in memory
    environ = {**RequestFactory().get(url).environ, **changes}
    served = Served(environ)
    assert int(served.status.split()[0]) < 500, served.status
    if changes.keys() <= {"HTTP_COOKIE"}:
        assert served.status == "200 OK"
        assert len(served.cookie().value) == 32
