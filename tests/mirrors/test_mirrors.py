"""The list of mirrors: a page, /mirrors.json signed with the operator's key,
the footer's link, and the command that makes the key."""

from __future__ import annotations

import json
import stat

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from communique.mirrors import signing
from tests.helpers import soup_of

MIRRORS = ["https://mirror-one.example.net/", "https://statements.example-cdn.org/"]


@pytest.fixture
def mirrors(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.COMMUNIQUE_MIRRORS = MIRRORS
    settings.COMMUNIQUE_SITE_URL = "https://statements.example.org"


@pytest.fixture
def public_key(mirrors) -> str:
    return signing.public_key_text(signing.make_key())


def test_the_list_is_signed_with_the_operators_key(client, db, public_key):
    response = client.get("/mirrors.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["mirrors"] == MIRRORS
    assert document["site"] == "https://statements.example.org"
    assert document["signature"]["algorithm"] == "Ed25519"
    assert document["signature"]["public_key"] == public_key
    assert signing.verify(document, public_key)


def test_a_changed_list_or_another_key_does_not_verify(client, db, public_key):
    document = json.loads(client.get("/mirrors.json").content)
    forged = {**document, "mirrors": [*MIRRORS, "https://look-alike.example/"]}
    assert not signing.verify(forged, public_key)
    moved = {**document, "site": "https://look-alike.example"}
    assert not signing.verify(moved, public_key)
    other = signing.public_key_text(signing.make_key(signing.key_path().with_name("x")))
    assert not signing.verify(document, other)
    assert not signing.verify({**document, "signature": None}, public_key)


def test_the_page_lists_the_mirrors_and_the_key(client, db, public_key):
    for prefix in ("", "/fa"):
        page = soup_of(client.get(prefix + reverse("mirrors:page")))
        links = [a["href"] for a in page.select(".mirrors a")]
        assert links == MIRRORS
        assert page.select_one(".signature code").get_text() == public_key
        assert signing.fingerprint(public_key) in page.get_text()


def test_every_page_links_the_mirrors_in_its_footer(client, db, mirrors):
    footer = soup_of(client.get("/")).select_one(".site-footer")
    assert footer.find("a", href=reverse("mirrors:page"))


def test_without_a_key_the_list_says_it_is_unsigned(client, db, mirrors):
    document = json.loads(client.get("/mirrors.json").content)
    assert document["mirrors"] == MIRRORS
    assert document["signature"] is None
    page = client.get(reverse("mirrors:page")).content.decode()
    assert "not signed" in page


def test_without_mirrors_there_is_nothing_to_show(client, db, settings):
    settings.COMMUNIQUE_MIRRORS = []
    assert client.get("/mirrors.json").status_code == 404
    assert client.get(reverse("mirrors:page")).status_code == 404
    footer = soup_of(client.get("/")).select_one(".site-footer")
    assert "mirrors" not in str(footer)


def test_the_key_command_keeps_the_key_private_and_never_replaces_it(mirrors, capsys):
    call_command("mirrors_key")
    out = capsys.readouterr().out
    path = signing.key_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Public key:" in out and "Fingerprint:" in out
    before = path.read_bytes()
    with pytest.raises(CommandError, match="exists already"):
        call_command("mirrors_key")
    assert path.read_bytes() == before


def test_mirror_addresses_must_be_web_addresses():
    from communique.environment import ConfigError, read_http_urls

    with pytest.raises(ConfigError):
        read_http_urls(
            {"COMMUNIQUE_MIRRORS": "mirror.example.net"}, "MIRRORS", default=[]
        )
