"""The WSGI layer that serves a worker's fresh pages before Django sees them.

These tests call the real WSGI application (`communique.wsgi.application`).
"""

import gzip
import subprocess
import sys
import time

import pytest
from django.core.cache import cache
from django.core.signals import request_started
from django.test import RequestFactory

from communique.pagecache import generation, keys, pages, tags
from communique.pagecache.snapshot import SHARED_BACKENDS
from communique.publishing import services as publishing
from communique.wsgi import application
from tests.factories import StatementFactory
from tests.helpers import handler_keeps_the_connection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_and_captcha_on(settings):
    settings.COMMUNIQUE_PAGE_CACHE = True
    settings.COMMUNIQUE_CAPTCHA_ENABLED = True
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 0


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    with handler_keeps_the_connection():
        yield


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


def get(path, method="get", **headers):
    return Served(getattr(RequestFactory(), method)(path, **headers).environ)


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
    assert from_memory.headers == from_django.headers
    assert from_memory.body == from_django.body
    assert from_memory.header("Set-Cookie") is None


@pytest.mark.parametrize("cookie", ["communique_captcha=abc", "tracker=1; theme=dark"])
def test_cookies_that_change_nothing_share_the_page(statement, django_calls, cookie):
    url = statement.get_absolute_url()
    first = get(url)
    with_cookie = get(url, HTTP_COOKIE=cookie)
    assert len(django_calls) == 1
    assert with_cookie.body == first.body


def test_compressed_pages_come_from_memory_too(statement, django_calls):
    url = statement.get_absolute_url()
    plain = get(url)
    packed = get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert len(django_calls) == 1
    assert packed.header("Content-Encoding") == "gzip"
    assert gzip.decompress(packed.body) == plain.body
    assert int(packed.header("Content-Length")) == len(packed.body)


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
    key = keys.page_key(RequestFactory().get(url).environ)
    page = pages.local_pages.get(key)
    entry = page.entry
    old = pages.Entry(
        entry.body, entry.headers, entry.tokens, stored_at=time.time() - 10_000
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
        {"HTTP_COOKIE": "communique_captcha=" + "A" * 10_000},
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
        "huge-cookie",
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
        assert served.header("Set-Cookie") is None
