"""Topics: chosen in the admin or named in import files, each with a page and
a feed; and the month archives."""

import datetime as dt
import textwrap

import pytest
from django.utils import timezone

from communique.publishing import services
from communique.publishing.importer import StatementFileError, import_statement_file
from communique.publishing.models import Statement, Topic
from tests.factories import EditorFactory, StatementFactory

pytestmark = pytest.mark.django_db


def topic(name: str, language: str = "en") -> Topic:
    return services.save_topic(topic=Topic(name=name, language=language))


def with_topics(*topics: Topic, **fields) -> Statement:
    statement = StatementFactory(**fields)
    services.set_topics(statement=statement, topics=list(topics))
    return statement


def test_a_topic_gets_a_slug_of_its_own():
    assert topic("Press freedom").slug == "press-freedom"
    assert topic("Press  Freedom!").slug == "press-freedom-2"
    assert topic("آزادی مطبوعات", "fa").slug == "آزادی-مطبوعات"
    assert topic("Press freedom", "fa").slug == "press-freedom"


def test_topic_page_lists_its_published_statements(client):
    elections = topic("Elections")
    listed = with_topics(elections, title="On the vote")
    with_topics(topic("Other"), title="Elsewhere")
    with_topics(elections, title="Not yet", status="draft", published_at=None)
    response = client.get("/topics/elections/")
    assert response.status_code == 200
    page = response.content.decode()
    assert listed.title in page
    assert "Elsewhere" not in page and "Not yet" not in page
    assert 'href="/topics/elections/feed/"' in page
    assert "public" in response["Cache-Control"]


def test_topic_pages_are_per_language(client):
    fa_topic = topic("انتخابات", "fa")
    with_topics(fa_topic, title="درباره رأی", language="fa")
    assert client.get(fa_topic.get_absolute_url()).status_code == 200
    assert fa_topic.get_absolute_url().startswith("/fa/topics/")
    assert client.get(f"/topics/{fa_topic.slug}/").status_code == 404
    assert client.get("/topics/no-such-topic/").status_code == 404


def test_topic_page_is_paginated(client, settings):
    settings.COMMUNIQUE_STATEMENTS_PER_PAGE = 2
    elections = topic("Elections")
    for n in range(3):
        with_topics(elections, published_at=timezone.now() - dt.timedelta(hours=n + 1))
    assert client.get("/topics/elections/?page=2").status_code == 200
    assert client.get("/topics/elections/?page=3").status_code == 404


def test_topics_index_counts_published_statements(client):
    elections = topic("Elections")
    with_topics(elections)
    with_topics(elections)
    with_topics(topic("Unused"), status="draft", published_at=None)
    page = client.get("/topics/").content.decode()
    assert "Elections" in page and "2 statements" in page
    assert "Unused" not in page


def test_statement_page_links_its_topics(client):
    statement = with_topics(topic("Elections"), topic("Prisoners"))
    page = client.get(statement.get_absolute_url()).content.decode()
    assert 'href="/topics/elections/" rel="tag"' in page
    assert 'href="/topics/prisoners/" rel="tag"' in page


def test_topic_feed(client):
    elections = topic("Elections")
    with_topics(elections, title="On the vote")
    with_topics(topic("Other"), title="Elsewhere")
    body = client.get("/topics/elections/feed/").content.decode()
    assert "On the vote" in body and "Elsewhere" not in body
    assert '<category term="Elections"' in body
    assert client.get("/topics/no-such/feed/").status_code == 404


def test_renaming_a_topic_retires_its_pages(client, django_capture_on_commit_callbacks):
    elections = topic("Elections")
    statement = with_topics(elections)
    assert "Elections" in client.get(statement.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        elections.name = "The vote"
        services.save_topic(topic=elections)
    assert "The vote" in client.get(statement.get_absolute_url()).content.decode()


def test_deleting_a_topic_retires_its_pages(client, django_capture_on_commit_callbacks):
    elections = topic("Elections")
    statement = with_topics(elections)
    assert "Elections" in client.get(statement.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delete_topics(Topic.objects.filter(pk=elections.pk)) == 1
    assert "Elections" not in client.get(statement.get_absolute_url()).content.decode()
    assert Statement.objects.filter(pk=statement.pk).exists()


def write(tmp_path, front: str, body: str = "The text."):
    path = tmp_path / "statement.md"
    path.write_text(f"---\n{textwrap.dedent(front)}---\n\n{body}\n", encoding="utf-8")
    return path


def test_import_files_name_topics(tmp_path):
    existing = topic("Elections")
    path = write(tmp_path, "title: On the vote\ntopics: [elections, Prisoners]\n")
    statement = import_statement_file(path).statement
    names = sorted(t.name for t in statement.topics.all())
    assert names == ["Elections", "Prisoners"]
    assert existing in statement.topics.all()
    # Imported again without topics: the statement keeps them.
    import_statement_file(write(tmp_path, "title: On the vote\n"))
    assert statement.topics.count() == 2
    import_statement_file(write(tmp_path, "title: On the vote\ntopics: []\n"))
    assert statement.topics.count() == 0


def test_persian_import_makes_persian_topics(tmp_path):
    path = write(tmp_path, "title: بیانیه\nlanguage: fa\ntopics: [زندانیان]\n")
    statement = import_statement_file(path).statement
    (made,) = statement.topics.all()
    assert made.language == "fa" and made.name == "زندانیان"


@pytest.mark.parametrize(
    "front",
    [
        "title: A\ntopics: {a: b}\n",
        "title: A\ntopics: [[nested]]\n",
        "title: A\ntopics: [true]\n",
        f"title: A\ntopics: [{'x' * 101}]\n",
    ],
)
def test_import_refuses_topics_that_are_not_names(tmp_path, front):
    with pytest.raises(StatementFileError) as error:
        import_statement_file(write(tmp_path, front))
    assert error.value.field == "topics"
    assert not Statement.objects.exists()


def test_admin_refuses_topics_of_another_language(client):
    client.force_login(EditorFactory())
    persian = topic("انتخابات", "fa")
    response = client.post(
        "/admin/publishing/statement/add/",
        {
            "title": "On the vote",
            "body_source": "Text.",
            "body_format": "markdown",
            "date": "2025-03-01",
            "language": "en",
            "status": "draft",
            "commenting": "open",
            "topics": [persian.pk],
        },
    )
    assert response.status_code == 200
    assert "Choose topics in the statement" in response.content.decode()
    assert not Statement.objects.exists()


def test_editors_manage_topics_in_the_admin(client):
    client.force_login(EditorFactory())
    response = client.post(
        "/admin/publishing/topic/add/",
        {"name": "Press freedom", "slug": "", "language": "en"},
    )
    assert response.status_code == 302
    assert Topic.objects.get().slug == "press-freedom"


def test_month_archive(client):
    StatementFactory(title="March", date=dt.date(2025, 3, 10))
    StatementFactory(title="April", date=dt.date(2025, 4, 2))
    year = client.get("/archive/2025/").content.decode()
    assert 'href="/archive/2025/3/"' in year and 'href="/archive/2025/4/"' in year
    march = client.get("/archive/2025/3/")
    assert march.status_code == 200
    assert "March" in march.content.decode() and "April" not in march.content.decode()
    assert client.get("/archive/2025/5/").status_code == 404
    assert client.get("/archive/2025/13/").status_code == 404


def test_persian_month_archive_follows_the_jalali_calendar(client):
    # 10 March 2025 is 20 Esfand 1403; 2 April 2025 is 13 Farvardin 1404.
    StatementFactory(title="اسفند", language="fa", date=dt.date(2025, 3, 10))
    StatementFactory(title="فروردین", language="fa", date=dt.date(2025, 4, 2))
    esfand = client.get("/fa/archive/1403/12/").content.decode()
    assert "اسفند" in esfand and "فروردین ۱۴۰۴" not in esfand
    assert "فروردین" in client.get("/fa/archive/1404/1/").content.decode()
    assert (
        'href="/fa/archive/1403/12/"'
        in client.get("/fa/archive/1403/").content.decode()
    )


def test_topics_read_by_hand_are_the_orms():
    statement = with_topics(topic("Prisoners"), topic("Elections"), topic("Zoning"))
    with_topics(topic("Elsewhere"))
    by_hand = Statement.objects.topics_of(statement)
    assert by_hand == list(statement.topics.order_by("name"))
    assert [t.name for t in by_hand] == ["Elections", "Prisoners", "Zoning"]
    assert all(t.language == "en" and t.slug for t in by_hand)
    assert Statement.objects.topics_of(StatementFactory()) == []
