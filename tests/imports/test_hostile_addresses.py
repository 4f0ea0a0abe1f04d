"""Addresses no browser should send, and no export should hold, still get
an answer: kept in some form, or a 404, never an error."""

import pytest

from communique.imports.addresses import normalise
from communique.imports.matching import host_of, statement_for


@pytest.mark.parametrize(
    ("address", "kept"),
    [
        ("//[x/", "/"),
        ("http://[bad/node/5", "/node/5"),
        ("https://[::1/path?q=node/2#c", "/path?q=node%2F2"),
        ("/%ZZ", "/%ZZ"),
    ],
)
def test_an_address_with_a_broken_host_keeps_its_path(address, kept):
    assert normalise(address) == kept


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["//[x/", "//[x/node/1", "/[x]/"])
def test_a_request_with_a_broken_host_like_path_is_a_404(client, path):
    # As a server hands it on: the test client would read "//[x" as a host.
    assert client.get("/", PATH_INFO=path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("link", ["", "   ", "http://[bad", "mailto:x", "\x00", "//"])
def test_a_thread_link_that_is_no_address_matches_nothing(link):
    assert statement_for([link]).statement is None
    assert isinstance(host_of(link), str)
