"""A WordPress site's old addresses lead to the statements made from it."""

import pytest

from communique.imports.models import ImportedItem
from tests.imports.wordpress_helpers import SITE, WPML, import_wordpress

pytestmark = pytest.mark.django_db


def _made_from(kind: str, external_id: str):
    item = ImportedItem.objects.get(kind=kind, external_id=external_id)
    return item.statement or item.comment


@pytest.mark.parametrize(
    "old",
    [
        "/?p=10",
        "/index.php?p=10",
        "/2022/01/bread-roses-on-the-wage-strike/",
        "/2022/01/bread-roses-on-the-wage-strike",
        "/2022/01/bread-roses-on-the-wage-strike/?utm_source=newsletter",
    ],
)
def test_a_posts_old_addresses_redirect_permanently_to_its_statement(client, old):
    import_wordpress()

    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == _made_from("statement", "10").get_absolute_url()


def test_a_persian_permalink_leads_to_the_persian_statement(client):
    import_wordpress()
    persian = _made_from("statement", "11")

    response = client.get(
        "/fa/2022/01/%d9%86%d8%a7%d9%86-%d9%88-%da%af%d9%84-%d8%b3%d8%b1%d8%ae/"
    )

    assert response.status_code == 301
    assert response["Location"] == persian.get_absolute_url()
    assert response["Location"].startswith("/fa/statements/")
    assert client.get(response["Location"]).status_code == 200


def test_a_pages_old_addresses_lead_to_its_statement(client):
    import_wordpress(SITE, "--include-pages")
    page = _made_from("statement", "20")

    for old in ("/?page_id=20", "/about/", "/?p=20"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == page.get_absolute_url()


def test_a_comment_reply_link_leads_to_the_comment(client):
    import_wordpress()
    comment = _made_from("comment", "100")

    response = client.get("/2022/01/bread-roses-on-the-wage-strike/?replytocom=100")

    assert response.status_code == 301
    assert response["Location"] == comment.get_absolute_url()


def test_under_plain_permalinks_the_reply_link_is_on_the_front_page(client, tmp_path):
    plain = tmp_path / "plain.xml"
    plain.write_text(
        SITE.read_text(encoding="utf-8").replace(
            "<link>https://old.example.org/2022/01/bread-roses-on-the-wage-strike/",
            "<link>https://old.example.org/?p=10",
        ),
        encoding="utf-8",
    )
    import_wordpress(plain)

    response = client.get("/?p=10&replytocom=100")

    assert response.status_code == 301
    assert response["Location"] == _made_from("comment", "100").get_absolute_url()


def test_wpml_permalinks_lead_to_their_statements(client):
    import_wordpress(WPML)

    response = client.get(
        "/fa/%d8%a8%db%8c%d8%a7%d9%86%db%8c%d9%87-%d8%af%d9%88%d9%85/"
    )

    assert response.status_code == 301
    assert response["Location"] == _made_from("statement", "51").get_absolute_url()


def test_drafts_scheduled_posts_and_held_comments_are_not_revealed(client):
    import_wordpress()

    assert client.get("/?p=13").status_code == 200  # the front page, no redirect
    assert client.get("/2023/04/members-only-the-accounts/").status_code == 404
    assert client.get("/2099/05/our-may-day-programme/").status_code == 404
    assert client.get("/2023/05/our-negotiating-position/").status_code == 404
    assert (
        client.get(
            "/2022/01/bread-roses-on-the-wage-strike/?replytocom=103"
        ).status_code
        == 404
    )
