import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from communique.publishing.models import Statement, StatementRevision
from tests.factories import StatementFactory, UserFactory
from tests.helpers import statement_form_data as form_data

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:publishing_statement_add")
LIST_URL = reverse("admin:publishing_statement_changelist")
PREVIEW_URL = reverse("admin:publishing_statement_preview")


def test_editor_creates_a_draft_then_publishes_it(client, editor):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    statement = Statement.objects.get()
    assert statement.slug == "teachers-stand-together"
    assert statement.status == Statement.Status.DRAFT
    assert statement.author == editor
    assert "<h2>Our demands</h2>" in statement.body_html
    assert client.logout() is None
    assert client.get(statement.get_absolute_url()).status_code == 404

    client.force_login(editor)
    response = client.post(
        LIST_URL,
        {"action": "publish", "_selected_action": [statement.pk]},
        follow=True,
    )
    assert "1 statement was published." in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.published_at is not None

    client.logout()
    page = client.get(statement.get_absolute_url())
    assert page.status_code == 200
    assert "Pay the arrears." in page.content.decode()


def test_unpublish_action_hides_the_statement(client, editor):
    statement = StatementFactory()
    client.force_login(editor)
    client.post(LIST_URL, {"action": "unpublish", "_selected_action": [statement.pk]})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT
    client.logout()
    assert client.get(statement.get_absolute_url()).status_code == 404


def test_editing_keeps_the_previous_version_listed_in_the_admin(client, editor):
    statement = StatementFactory(title="First title", body_source="First body.")
    change_url = reverse("admin:publishing_statement_change", args=[statement.pk])
    client.force_login(editor)
    response = client.post(
        change_url,
        form_data(
            title="Second title",
            slug=statement.slug,
            body_source="Second body.",
            status="published",
            published_at_0="2025-04-02",
            published_at_1="10:00:00",
        ),
    )
    assert response.status_code == 302
    revision = StatementRevision.objects.get(statement=statement)
    assert (revision.title, revision.body_source) == ("First title", "First body.")
    assert revision.replaced_by == editor
    page = client.get(change_url).content.decode()
    assert "Earlier versions" in page
    assert "First body." in page


def test_saving_without_changes_keeps_no_revision(client, editor):
    statement = StatementFactory()
    change_url = reverse("admin:publishing_statement_change", args=[statement.pk])
    client.force_login(editor)
    data = form_data(
        title=statement.title,
        slug=statement.slug,
        body_source=statement.body_source,
        signature=statement.signature,
        status="published",
        published_at_0="2025-04-02",
        published_at_1="10:00:00",
    )
    assert client.post(change_url, data).status_code == 302
    assert not StatementRevision.objects.exists()


def test_preview_renders_the_page_without_saving(client, editor):
    client.force_login(editor)
    response = client.post(PREVIEW_URL, form_data(body_source="A *previewed* text."))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("h1").get_text() == "Teachers stand together"
    assert page.select_one(".statement-body em").get_text() == "previewed"
    assert "has not been saved" in page.find(class_="banner").get_text()
    assert not Statement.objects.exists()


def test_preview_needs_post_and_a_staff_login(client, editor):
    assert client.post(PREVIEW_URL, form_data()).status_code == 302  # to login
    client.force_login(editor)
    assert client.get(PREVIEW_URL).status_code == 405


def test_preview_is_refused_to_staff_without_statement_permissions(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.post(PREVIEW_URL, form_data()).status_code == 403


def test_change_form_offers_preview_and_format_tips(client, editor):
    client.force_login(editor)
    page = client.get(ADD_URL).content.decode()
    assert f'formaction="{PREVIEW_URL}"' in page
    assert "A blank line starts a new paragraph." in page


def test_changelist_filters_and_search(client, editor):
    StatementFactory(title="About the harbour")
    StatementFactory(title="About the school", status="draft", published_at=None)
    client.force_login(editor)
    drafts = client.get(LIST_URL, {"status__exact": "draft"}).content.decode()
    assert "About the school" in drafts
    assert "About the harbour" not in drafts
    found = client.get(LIST_URL, {"q": "harbour"}).content.decode()
    assert "About the harbour" in found
    assert "About the school" not in found


def test_editors_group_can_use_the_admin_but_not_users(client, editor):
    client.force_login(editor)
    assert client.get(LIST_URL).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
