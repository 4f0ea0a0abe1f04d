"""The site as a Tor onion service: COMMUNIQUE_ONION_URL, the Onion-Location
header on every page, and the onion host name answered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communique.environment import ConfigError, read_onion_url
from tests.factories import StatementFactory

ONION_HOST = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"
ONION = f"http://{ONION_HOST}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ONION, ONION),
        (ONION + "/", ONION),
        (f"https://{ONION_HOST}", f"https://{ONION_HOST}"),
        (f"http://www.{ONION_HOST}", f"http://www.{ONION_HOST}"),
    ],
)
def test_onion_addresses_are_read(value, expected):
    assert read_onion_url({"COMMUNIQUE_ONION_URL": value}) == expected


def test_no_onion_address_by_default():
    assert read_onion_url({}) == ""


@pytest.mark.parametrize(
    "value",
    [
        "http://example.org",
        "http://short.onion",  # a version 2 address, no longer served by Tor
        f"ftp://{ONION_HOST}",
        f"{ONION_HOST}",
        f"http://{ONION_HOST}/statements/",
        f"http://{ONION_HOST}/?a=b",
        f"http://user@{ONION_HOST}",
        f"http://{ONION_HOST.upper()}x",
    ],
)
def test_other_addresses_are_refused(value):
    with pytest.raises(ConfigError, match="ONION_URL"):
        read_onion_url({"COMMUNIQUE_ONION_URL": value})


@pytest.fixture
def onion(settings):
    settings.COMMUNIQUE_ONION_URL = ONION
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", ONION_HOST]


@pytest.mark.django_db
def test_pages_name_their_onion_copy_fresh_and_cached(client, onion):
    statement = StatementFactory()
    address = statement.get_absolute_url()
    fresh = client.get(address + "?page=1")
    cached = client.get(address + "?page=1")
    assert fresh.status_code == cached.status_code == 200
    assert fresh["Onion-Location"] == ONION + address + "?page=1"
    assert cached["Onion-Location"] == fresh["Onion-Location"]
    assert client.get("/fa/")["Onion-Location"] == ONION + "/fa/"


@pytest.mark.django_db
def test_only_pages_name_an_onion_copy(client, onion):
    assert "Onion-Location" not in client.get("/no-such-page/")  # a 404
    assert "Onion-Location" not in client.get(reverse("publishing:feed"))
    assert "Onion-Location" not in client.post(reverse("search:search"))  # a 405


@pytest.mark.django_db
def test_no_onion_location_without_an_onion_address(client, settings):
    settings.COMMUNIQUE_ONION_URL = ""
    assert "Onion-Location" not in client.get("/")


@pytest.mark.django_db
def test_the_site_answers_on_its_onion_host(client, onion):
    StatementFactory()
    response = client.get("/", HTTP_HOST=ONION_HOST)
    assert response.status_code == 200
