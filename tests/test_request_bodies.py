"""The layer that reads request bodies within a time limit before the site runs."""

import io
import threading
import time

import pytest

from communique import request_bodies
from communique.request_bodies import LATE_BODY, ReadBodyFirst, read_before


class Trickle:
    """A body that gives one byte per read, each after ``pause`` seconds."""

    def __init__(self, data: bytes, pause: float) -> None:
        self.data, self.pause, self.sizes = data, pause, []

    def read(self, size: int) -> bytes:
        self.sizes.append(size)
        time.sleep(self.pause)
        chunk, self.data = self.data[:1], self.data[1:]
        return chunk


class Recorded(io.BytesIO):
    """A body that is all there at once; remembers the sizes asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.sizes = []

    def read(self, size: int = -1) -> bytes:
        self.sizes.append(size)
        return super().read(size)


class Broken:
    def read(self, size: int) -> bytes:
        raise OSError("connection reset")


def soon(seconds: float = 5) -> float:
    return time.monotonic() + seconds


def test_a_body_that_is_there_is_read_whole_in_growing_reads():
    body = Recorded(b"x" * 300_000)
    assert read_before(body, 300_000, soon()) == b"x" * 300_000
    assert body.sizes[:4] == [1, 2, 4, 8]
    assert max(body.sizes) == request_bodies.LARGEST_READ


def test_a_trickling_body_is_given_up_at_the_deadline():
    body = Trickle(b"x" * 100, pause=0.15)
    started = time.monotonic()
    assert read_before(body, 100, soon(0.5)) is None
    assert time.monotonic() - started < 0.8  # within a read of the deadline
    assert set(body.sizes) == {1}  # slow reads stay small


@pytest.mark.parametrize(
    "stream", [io.BytesIO(b"short"), Broken()], ids=["ends early", "raises"]
)
def test_a_body_whose_client_went_away_is_not_read(stream):
    assert read_before(stream, 100, soon()) is None


def environ(body: bytes | object, length: int) -> dict:
    stream = io.BytesIO(body) if isinstance(body, bytes) else body
    return {
        "REQUEST_METHOD": "POST",
        "CONTENT_LENGTH": str(length),
        "wsgi.input": stream,
    }


def serve(layer: ReadBodyFirst, env: dict) -> dict:
    layer(env, lambda status, headers: None)
    return env


def inner(seen: list):
    def application(env, start_response):
        seen.append({**env, "body": env["wsgi.input"].read()})
        return [b""]

    return application


def test_the_site_gets_the_body_read_into_memory():
    seen = []
    serve(ReadBodyFirst(inner(seen), site_threads=0), environ(b"a=1&b=2", 7))
    assert seen[0]["body"] == b"a=1&b=2"
    assert LATE_BODY not in seen[0]


def test_a_late_body_reaches_the_site_empty_and_marked(settings):
    settings.COMMUNIQUE_REQUEST_BODY_SECONDS = 1
    seen = []
    layer = ReadBodyFirst(inner(seen), site_threads=0)
    serve(layer, environ(Trickle(b"x" * 100, pause=0.3), 100))
    assert seen[0][LATE_BODY] == 1
    assert (seen[0]["CONTENT_LENGTH"], seen[0]["body"]) == ("0", b"")


def test_a_body_over_the_limit_is_not_read(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    seen, body = [], Recorded(b"x" * 11)
    serve(ReadBodyFirst(inner(seen), site_threads=0), environ(body, 11))
    assert body.sizes == []
    assert (seen[0]["CONTENT_LENGTH"], seen[0]["body"]) == ("11", b"")


def test_the_site_works_on_at_most_site_threads_requests_at_once():
    lock, running, most = threading.Lock(), [0], [0]

    def application(env, start_response):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return [b""]

    layer = ReadBodyFirst(application, site_threads=1)
    threads = [
        threading.Thread(target=serve, args=(layer, environ(b"", 0))) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1


@pytest.mark.django_db
def test_a_late_body_gets_a_408_page_that_says_the_text_was_not_kept(client):
    response = client.post("/", {"body": ""}, **{LATE_BODY: 30})
    assert response.status_code == 408
    text = response.content.decode()
    assert "within 30 seconds" in text
    assert "Your text could not be kept" in text
