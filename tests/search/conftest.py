import pytest
from django.urls import reverse

from tests.helpers import soup_of


@pytest.fixture
def search(client, db):
    """GET the search page with these parameters (``kind`` is ``in``)."""

    def get(q="", kind=None, **params):
        params["q"] = q
        if kind:
            params["in"] = kind
        return client.get(reverse("search:search"), params)

    return get


@pytest.fixture
def found(search):
    """The result titles (link texts) of a search, in order."""

    def titles(q, kind=None, **params):
        response = search(q, kind, **params)
        assert response.status_code == 200
        return [
            link.get_text() for link in soup_of(response).select(".search-results h2 a")
        ]

    return titles
