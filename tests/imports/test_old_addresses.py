"""Old addresses answered with 301s to the pages they became."""

import pytest

from communique.comments.models import Comment
from communique.imports.addresses import normalise, target_of
from communique.imports.models import OldAddress
from communique.publishing.models import Statement
from tests.factories import CommentFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "kept"),
    [
        ("/node/123", "/node/123"),
        ("/node/123/", "/node/123"),
        ("https://old.example.org/2022/01/what-we-said/", "/2022/01/what-we-said"),
        ("/?p=45", "/?p=45"),
        ("http://old.example.org/?p=45&utm_source=x#comments", "/?p=45"),
        ("/index.php?q=node/7&b=2", "/index.php?b=2&q=node%2F7"),
        ("/%D8%A8%DB%8C%D8%A7%D9%86%DB%8C%D9%87/", "/بیانیه"),
        ("node/9", "/node/9"),
        ("", "/"),
    ],
)
def test_addresses_are_kept_in_one_form(address, kept):
    assert normalise(address) == kept


def test_an_old_path_redirects_permanently_to_the_statement(client):
    statement = StatementFactory(slug="what-we-said")
    OldAddress.objects.create(address="/node/123", statement=statement)

    response = client.get("/node/123/")

    assert response.status_code == 301
    assert response["Location"] == statement.get_absolute_url()
    assert "public" in response["Cache-Control"]


def test_a_wordpress_query_on_the_front_page_redirects_before_the_front_page(client):
    statement = StatementFactory()
    OldAddress.objects.create(address="/?p=45", statement=statement)

    response = client.get("/?p=45")

    assert response.status_code == 301
    assert response["Location"] == statement.get_absolute_url()
    assert client.get("/?p=46").status_code == 200  # the front page, unknown id


def test_a_persian_statement_is_reached_at_its_persian_address(client):
    statement = StatementFactory(language="fa", slug="بیانیه-نخست")
    OldAddress.objects.create(address=normalise("/fa/node/5"), statement=statement)

    response = client.get("/fa/node/5")

    assert response.status_code == 301
    assert response["Location"].startswith("/fa/statements/")


def test_an_old_comment_address_leads_to_the_comment(client):
    comment = CommentFactory(status=Comment.Status.PUBLISHED)
    OldAddress.objects.create(address="/comment/7", comment=comment)

    response = client.get("/comment/7")

    assert response.status_code == 301
    assert response["Location"] == comment.get_absolute_url()


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Statement.Status.DRAFT},
        {"status": Statement.Status.PUBLISHED, "published_at": None},
    ],
)
def test_a_statement_readers_cannot_see_is_not_revealed_by_its_old_address(
    client, hidden
):
    statement = StatementFactory(**hidden)
    Statement.objects.filter(pk=statement.pk).update(**hidden)
    OldAddress.objects.create(address="/node/1", statement=statement)

    assert target_of("/node/1") is None
    assert client.get("/node/1").status_code == 404


def test_a_held_comment_is_not_revealed_by_its_old_address(client):
    comment = CommentFactory(status=Comment.Status.PENDING)
    OldAddress.objects.create(address="/comment/8", comment=comment)

    assert client.get("/comment/8").status_code == 404


def test_live_pages_win_over_old_addresses(client):
    statement = StatementFactory(slug="kept")
    other = StatementFactory(slug="other")
    OldAddress.objects.create(address=f"/statements/{other.slug}", statement=statement)

    assert client.get(other.get_absolute_url()).status_code == 200


def test_only_reads_are_redirected(client):
    statement = StatementFactory()
    OldAddress.objects.create(address="/node/3", statement=statement)

    assert client.post("/node/3").status_code in (403, 404, 405)


def test_the_admin_keeps_an_address_typed_as_a_full_url_normalised(admin_client):
    statement = StatementFactory()

    response = admin_client.post(
        "/admin/imports/oldaddress/add/",
        {
            "address": "https://old.example.org/node/77/",
            "statement": statement.pk,
            "source": "manual",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    assert OldAddress.objects.get().address == "/node/77"


@pytest.mark.parametrize(
    ("kept", "asked"),
    [("/?p=45", "/index.php?p=45"), ("/index.php?q=node/7", "/?q=node/7")],
)
def test_a_front_page_query_is_found_at_either_front_path(client, kept, asked):
    statement = StatementFactory()
    OldAddress.objects.create(address=normalise(kept), statement=statement)

    response = client.get(asked)

    assert response.status_code == 301
    assert response["Location"] == statement.get_absolute_url()
