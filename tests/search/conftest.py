import pytest
from django.urls import reverse


@pytest.fixture
def search(client, db):
    """GET the search page with these parameters."""

    def get(**params):
        return client.get(reverse("search:search"), params)

    return get
