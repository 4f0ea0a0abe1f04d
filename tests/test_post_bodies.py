"""What the comment endpoints take: URL-encoded forms of at most
``DATA_UPLOAD_MAX_MEMORY_SIZE``. An upload gets 415, a larger body 413, both
before anything is read or written (no temporary file, no comment)."""

import socket
import time
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test.client import BOUNDARY, MULTIPART_CONTENT
from django.urls import reverse

from communique.comments.models import Comment
from communique.request_bodies import ReadBodyFirst
from tests.factories import CommentFactory, UserFactory
from tests.helpers import handler_keeps_the_connection
from tests.live_server import communique, fetch, serving

FORM = "application/x-www-form-urlencoded"
NOT_A_FORM = "This form could not be read"
TOO_LARGE = "What you sent is larger than this site accepts."
HUGE = 300 * 1024 * 1024
PART_HEAD = (
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="body"; filename="big.bin"\r\n'
    "Content-Type: application/octet-stream\r\n\r\n"
).encode()


class Stream:
    """``size`` bytes of a multipart upload, made as they are read, never all
    in memory; counts what was read."""

    def __init__(self, size: int) -> None:
        self.size, self.read_bytes = size, 0

    def read(self, size: int = -1) -> bytes:
        left = self.size - self.read_bytes
        size = left if size < 0 else min(size, left)
        head = PART_HEAD[self.read_bytes : self.read_bytes + size]
        chunk = head + b"x" * (size - len(head))
        self.read_bytes += size
        return chunk

    def readline(self, size: int = -1) -> bytes:
        return self.read(size if size >= 0 else 65536)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    with handler_keeps_the_connection():
        yield


def call(environ: dict) -> tuple[str, bytes]:
    """Run the site as the servers do, behind the body-reading layer."""
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status

    site = ReadBodyFirst(WSGIHandler(), site_threads=0)
    body = b"".join(site(environ, start_response))
    return answer["status"], body


def environ_for(path: str, stream, **headers) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": stream,
        "HTTP_ORIGIN": "http://localhost",
        "HTTP_SEC_FETCH_SITE": "same-origin",
        **headers,
    }


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Where Django would write an upload's temporary file."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


@pytest.mark.django_db
def test_300_mb_upload_is_refused_unread(statement, upload_dir):
    stream = Stream(HUGE)
    started = time.monotonic()
    status, body = call(
        environ_for(
            reverse("comments:post", args=[statement.pk]),
            stream,
            CONTENT_TYPE=MULTIPART_CONTENT,
            CONTENT_LENGTH=str(HUGE),
        )
    )
    assert status.startswith("413")
    assert TOO_LARGE in body.decode()
    assert stream.read_bytes == 0
    assert time.monotonic() - started < 2
    assert list(upload_dir.iterdir()) == []
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_300_mb_sent_in_chunks_is_refused_after_the_limit(
    settings, statement, upload_dir
):
    stream = Stream(HUGE)
    status, _ = call(
        environ_for(
            reverse("comments:post", args=[statement.pk]),
            stream,
            CONTENT_TYPE=MULTIPART_CONTENT,
            HTTP_TRANSFER_ENCODING="chunked",
        )
    )
    assert status.startswith("413")
    assert stream.read_bytes == settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    assert list(upload_dir.iterdir()) == []


@pytest.mark.django_db
def test_a_small_form_sent_in_chunks_is_read(statement, no_captcha, post_at_once):
    data = urlencode({"author_name": "Nasrin", "body": "In chunks.", "op": "save"})

    class Chunked:
        def __init__(self, data: bytes) -> None:
            self.data = data

        def read(self, size: int) -> bytes:
            chunk, self.data = self.data[:size], self.data[size:]
            return chunk

    status, _ = call(
        environ_for(
            reverse("comments:post", args=[statement.pk]),
            Chunked(data.encode()),
            CONTENT_TYPE=FORM,
            HTTP_TRANSFER_ENCODING="chunked",
        )
    )
    assert status.startswith("302")
    assert Comment.objects.get().body_source == "In chunks."


@pytest.fixture
def endpoints(db, statement):
    """Each comment endpoint that takes a form: (client user, address, fields)."""
    author = UserFactory()
    own = CommentFactory(statement=statement, user=author)
    fields = {"author_name": "Nasrin", "body": "We agree.", "op": "save"}
    post = reverse("comments:post", args=[statement.pk])
    return {
        "save": (None, post, fields),
        "preview": (None, post, {**fields, "op": "preview"}),
        "reply": (None, post, {**fields, "parent": str(own.pk)}),
        "edit": (author, reverse("comments:edit", args=[own.pk]), fields),
    }


@pytest.mark.parametrize("endpoint", ["save", "preview", "reply", "edit"])
def test_a_valid_form_sent_as_multipart_is_refused(
    client, endpoints, endpoint, upload_dir, no_captcha, post_at_once
):
    user, path, fields = endpoints[endpoint]
    if user:
        client.force_login(user)
    before = list(Comment.objects.values_list("pk", "body_source"))
    response = client.post(path, fields, content_type=MULTIPART_CONTENT)
    assert response.status_code == 415
    assert NOT_A_FORM in response.content.decode()
    assert list(Comment.objects.values_list("pk", "body_source")) == before
    assert list(upload_dir.iterdir()) == []
    # The same fields as the page sends them are taken.
    assert client.post(path, fields).status_code in (200, 302)


@pytest.mark.parametrize("endpoint", ["save", "reply", "edit"])
def test_text_not_in_utf8_is_refused_at_every_endpoint(
    client, endpoints, endpoint, no_captcha, post_at_once
):
    user, path, fields = endpoints[endpoint]
    if user:
        client.force_login(user)
    raw = urlencode({**fields, "body": "x"}).encode() + b"&subject=%FF%FE"
    response = client.generic("POST", path, raw, FORM)
    assert response.status_code == 400
    assert "not in the UTF-8 encoding" in response.content.decode()


def test_nothing_is_written_for_an_upload_that_reaches_another_form(settings):
    """Site-wide: uploads are kept in memory up to the body limit, never on disk."""
    assert settings.FILE_UPLOAD_HANDLERS == [
        "django.core.files.uploadhandler.MemoryFileUploadHandler"
    ]
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def multipart_head(host: str, path: str, length: int) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\n"
        f"Content-Type: {MULTIPART_CONTENT}\r\nContent-Length: {length}\r\n\r\n"
    ).encode() + PART_HEAD


@pytest.mark.server
@pytest.mark.parametrize("server", ["granian", "gunicorn"])
def test_the_real_server_refuses_300_mb_at_once(tmp_path, server):
    """300 MB streamed to `communique serve`: 413 within seconds, no file in the
    server's temporary folder."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    assert communique("demo", "--no-serve", data_dir=tmp_path).returncode == 0
    with serving(tmp_path, server=server, env={"TMPDIR": str(temp)}) as (base, _):
        page = fetch(base + "/")[2].decode()
        statement = page.split('href="/statements/', 1)[1].split('"', 1)[0]
        page = fetch(f"{base}/statements/{statement}")[2].decode()
        action = page.split('action="/comments/new/', 1)[1].split("/", 1)[0]
        host = urlsplit(base).netloc
        started, sent, answer = time.monotonic(), 0, b""
        with socket.create_connection(("127.0.0.1", urlsplit(base).port)) as client:
            client.sendall(multipart_head(host, f"/comments/new/{action}/", HUGE))
            client.settimeout(0.01)
            chunk = b"x" * 65536
            while sent < HUGE and time.monotonic() - started < 10 and not answer:
                try:
                    client.sendall(chunk)
                    sent += len(chunk)
                    answer = client.recv(200)
                except TimeoutError:
                    continue
                except OSError:  # the server closed the connection
                    break
            client.settimeout(5)
            answer = answer or client.recv(200)
        seconds = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 413"), answer
    assert seconds < 10
    assert sent < HUGE
    assert list(temp.iterdir()) == []
