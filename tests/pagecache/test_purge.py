"""Purges sent to the HTTP caches in front, against small servers on loopback."""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from communique.pagecache import purge, tags


class Recorder(ThreadingHTTPServer):
    """Answers every PURGE with ``status``, keeping (path, keys) of each."""

    def __init__(self, status: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.status = status
        self.received: list[tuple[str, str | None]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_PURGE(self) -> None:
        self.server.received.append((self.path, self.headers.get("xkey-purge")))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recorders() -> Iterator[Callable[..., Recorder]]:
    started: list[Recorder] = []

    def start(status: int = 200) -> Recorder:
        server = Recorder(status)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that takes connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_invalidating_tags_purges_them_at_every_cache(recorders, settings):
    first, second = recorders(), recorders()
    settings.COMMUNIQUE_PURGE_URLS = [first.url + "/", second.url + "/purge"]
    tags.invalidate("statement:3", "statement-list")
    assert first.received == [("/", "statement:3 statement-list")]
    assert second.received == [("/purge", "statement:3 statement-list")]


def test_each_tag_is_named_once(recorders, settings):
    cache = recorders()
    settings.COMMUNIQUE_PURGE_URLS = [cache.url]
    purge.purge(["site", "statement:1", "site"])
    assert cache.received == [("/", "site statement:1")]


def test_nothing_is_sent_without_addresses_or_tags(recorders, settings):
    cache = recorders()
    settings.COMMUNIQUE_PURGE_URLS = []
    tags.invalidate("site")
    settings.COMMUNIQUE_PURGE_URLS = [cache.url]
    purge.purge([])
    assert cache.received == []


def test_a_refusal_is_logged_and_the_other_caches_still_purged(
    recorders, settings, caplog
):
    refusing, answering = recorders(403), recorders()
    settings.COMMUNIQUE_PURGE_URLS = [refusing.url, answering.url]
    tags.invalidate("site")
    assert answering.received == [("/", "site")]
    assert f"Could not purge 'site' at {refusing.url}: 403" in caplog.text


def test_a_cache_that_is_down_is_logged_not_raised(settings, caplog):
    settings.COMMUNIQUE_PURGE_URLS = [f"http://127.0.0.1:{closed_port()}/"]
    tags.invalidate("site")
    assert "ConnectionRefusedError" in caplog.text
    assert caplog.records[0].name == "communique.pagecache"
    assert caplog.records[0].levelname == "WARNING"


def test_a_silent_cache_holds_the_caller_one_timeout_at_most(
    silent_port, settings, caplog, monkeypatch
):
    monkeypatch.setattr(purge, "TIMEOUT_SECONDS", 0.3)
    url = f"http://127.0.0.1:{silent_port}/"
    settings.COMMUNIQUE_PURGE_URLS = [url, url, url]
    started = time.monotonic()
    purge.purge(["site"])
    assert time.monotonic() - started < 0.3 + 0.5
    assert caplog.text.count(f"Could not purge 'site' at {url}") == 3


@pytest.mark.django_db
def test_cached_pages_name_their_tags_for_the_caches_in_front(
    client, statement, settings
):
    settings.COMMUNIQUE_PAGE_CACHE = True
    page = client.get("/")
    assert page.status_code == 200
    keys = page["Surrogate-Key"].split(" ")
    assert {"site", "statement-list"} <= set(keys)
    assert page["Cache-Tag"].split(",") == keys
