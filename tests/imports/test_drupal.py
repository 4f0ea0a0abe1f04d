"""`communique import-drupal`: nodes and comments from a Drupal site's views."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from communique.comments.models import Comment
from communique.imports.models import ImportedItem, OldAddress
from communique.publishing.models import Statement

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "drupal"
NODES = str(FIXTURES / "nodes.json")
COMMENTS = str(FIXTURES / "comments.json")


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_drupal", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def imported(external_id: str) -> Statement:
    return ImportedItem.objects.get(
        source="drupal", kind="statement", external_id=external_id
    ).statement


def snapshot():
    statements = sorted(Statement.objects.values_list())
    comments = sorted(Comment.objects.values_list())
    addresses = sorted(OldAddress.objects.values_list("address", "statement_id"))
    return statements, comments, addresses


def test_nodes_become_statements_with_their_translations():
    run(NODES, "--comments", COMMENTS, "--signature", "The Council")

    wages = imported("12")
    persian = imported("12/fa")
    assert (wages.language, wages.slug, wages.title) == (
        "en",
        "on-wages",
        "On wages & hours",
    )
    assert persian.language == "fa" and persian.slug == "دستمزدها"
    assert persian.translation_of == wages
    assert wages.signature == "The Council"
    assert "<strong>shorter</strong>" in wages.body_html
    assert "<script" not in wages.body_html
    assert sorted(t.name for t in wages.topics.all()) == ["Labour", "Wages"]
    assert [t.name for t in persian.topics.all()] == ["کار"]
    assert wages.published_at == dt.datetime(2021, 2, 1, 9, 0, tzinfo=dt.UTC)
    rivers = imported("14")
    assert rivers.title == 'Rivers, dams & the "plan"'
    assert rivers.language == "en"  # "und": the site's language
    assert imported("15").status == Statement.Status.DRAFT
    assert imported("18").status == Statement.Status.DRAFT  # unknown status
    assert imported("17").language == "en"  # an unknown code, reported


def test_comments_keep_threads_statuses_and_languages():
    run(NODES, "--comments", COMMENTS)

    by_author = {c.author_name: c for c in Comment.objects.all()}
    first, second = by_author["First Reader"], by_author["Second Reader"]
    assert second.parent == first
    assert by_author["Third Reader"].path.startswith(second.path)
    assert by_author["Cheap Deals"].status == Comment.Status.PENDING
    assert first.status == Comment.Status.PUBLISHED
    assert first.homepage == "https://first.example.net/"
    assert second.homepage == ""
    assert "Shorter hours & fair pay, at last 🎉\n\nSecond paragraph." in (
        first.body_source
    )
    assert first.fingerprint and "203.0.113" not in first.fingerprint
    assert by_author["سارا"].statement == imported("12/fa")
    assert by_author["بابک"].parent == by_author["سارا"]
    assert "\u200f" in by_author["سارا"].body_source
    assert by_author["Anonymous"].created == imported("14").published_at
    assert by_author["Odd Status"].status == Comment.Status.PENDING
    assert by_author["someone"].email == ""
    assert "Empty" not in by_author and "Nowhere" not in by_author
    assert by_author["Orphan"].parent is None


def test_the_report_names_each_problem_by_item():
    out, err = run(NODES, "--comments", COMMENTS)

    assert "created: node 12: On wages & hours (/statements/on-wages/)" in out
    assert "problem: node 16: no readable date; not imported" in err
    assert "problem: node 17: unknown language 'xx-not-a-language'" in err
    assert "problem: node 18: no creation date; dated when last changed" in err
    assert "problem: node 18: unknown status 'maybe'; imported as a draft" in err
    assert "problem: comment 107: no readable date" in err
    assert "problem: comment 108: unknown status '2'; held for review" in err
    assert "problem: comment 110: the comment it replies to (9999)" in err
    assert "skipped: comment 111: its node 99 was not imported" in out
    assert "skipped: comment 109: no text" in out
    assert "Created 16, updated 0, skipped 2; 0 unchanged;" in out


@pytest.mark.parametrize(
    ("old", "external_id"),
    [
        ("/node/12", "12"),
        ("/node/12/", "12"),
        ("/?q=node/12", "12"),
        ("/index.php?q=node/12", "12"),  # Drupal answered both
        ("/node/99", None),  # a node the files do not hold
        ("/fa/node/12", "12/fa"),
        ("/fa/%D8%AF%D8%B3%D8%AA%D9%85%D8%B2%D8%AF%D9%87%D8%A7", "12/fa"),
        ("/node/14", "14"),
        ("/made-up", "17"),
    ],
)
def test_old_node_addresses_redirect_permanently(client, old, external_id):
    run(NODES, "--comments", COMMENTS)

    response = client.get(old)

    if external_id is None:
        assert response.status_code != 301
    else:
        assert response.status_code == 301
        assert response["Location"] == imported(external_id).get_absolute_url()


def test_old_comment_addresses_lead_to_the_comment(client):
    run(NODES, "--comments", COMMENTS)
    first = Comment.objects.get(author_name="First Reader")

    for old in ("/comment/101", "/?q=comment/101"):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == first.get_absolute_url()
    assert client.get("/comment/104").status_code == 404  # held: not revealed


def test_a_draft_is_not_revealed_by_its_old_addresses(client):
    run(NODES)

    assert client.get("/node/15").status_code == 404
    assert client.get("/drafts/never").status_code == 404


def test_importing_twice_changes_nothing():
    run(NODES, "--comments", COMMENTS)
    before = snapshot()

    out, _ = run(NODES, "--comments", COMMENTS)

    assert snapshot() == before
    assert "Created 0, updated 0, skipped 2; 16 unchanged;" in out
    assert "unchanged: node 12/fa: درباره دستمزدها" in out


def test_a_changed_node_is_updated(tmp_path):
    run(NODES)
    rows = json.loads(Path(NODES).read_text())
    rows[0]["title"] = "On wages, revised"
    changed = tmp_path / "nodes.json"
    changed.write_text(json.dumps(rows))

    out, _ = run(str(changed))

    assert imported("12").title == "On wages, revised"
    assert imported("12").revisions.count() == 1
    assert "updated: node 12: On wages, revised" in out
    assert "unchanged: node 14" in out


def test_a_dry_run_saves_nothing_and_says_what_it_would_do():
    out, _ = run(NODES, "--comments", COMMENTS, "--dry-run")

    assert not Statement.objects.exists()
    assert not Comment.objects.exists()
    assert not OldAddress.objects.exists()
    assert "would create: node 12: On wages & hours" in out
    assert "would create: comment 101: First Reader, published" in out
    assert "Dry run, nothing was saved. Would create 16," in out


def test_drupal_7_csv_with_labels_and_translation_sets(client):
    out, err = run(
        str(FIXTURES / "nodes-d7.csv"),
        "--comments",
        str(FIXTURES / "comments-d7.csv"),
    )

    housing, maskan = imported("21"), imported("22")
    assert housing.title == "Housing now & rents"
    assert 'with a "quote"' in housing.body_html
    assert maskan.translation_of == housing and maskan.language == "fa"
    assert imported("23").status == Statement.Status.DRAFT
    tenant = Comment.objects.get(author_name="Tenant")
    landlord = Comment.objects.get(author_name="Landlord")
    assert landlord.parent == tenant and landlord.status == Comment.Status.PENDING
    assert landlord.body_source == "I disagree & say so."
    assert Comment.objects.get(author_name="مریم").statement == maskan
    assert client.get("/blog/housing-now")["Location"] == housing.get_absolute_url()
    assert client.get("/node/22")["Location"] == maskan.get_absolute_url()
    assert "Created 6," in out and err == ""


def test_a_rest_export_of_whole_entities_is_read():
    run(str(FIXTURES / "nodes-entities.json"))

    statement = imported("31")
    assert statement.title == "Served as whole entities"
    assert statement.slug == "whole-entities"
    assert statement.date == dt.date(2022, 3, 1)
    assert OldAddress.objects.filter(address="/statements/whole-entities").exists()


@pytest.mark.parametrize(
    ("nodes", "comments", "message"),
    [
        ('[{"title": "No nid"}]', None, "no field nid"),
        (
            '[{"nid": "1", "title": "t", "created": "1612170000"}]',
            "cid,nid,subject\n1,1,no body column\n",
            "no field comment_body",
        ),
        ("{not json", None, "not valid JSON"),
        ('"a string"', None, "no list of rows"),
        ('[{"nid": "1", "title": "t"}]', b"\xff\xfe\x00bad", "not a readable CSV"),
        ('[{"nid": "1", "title": "t"}]', "cid,nid\n", "no field comment_body"),
        ('[{"id": "1", "label": "t"}]', None, "no field title"),
        ('[{"unrelated": "1"}]', None, "no field nid"),
    ],
)
def test_a_file_the_importer_cannot_use_is_refused_clearly(
    tmp_path, nodes, comments, message
):
    nodes_file = tmp_path / "nodes.json"
    nodes_file.write_text(nodes)
    args = [str(nodes_file)]
    if comments is not None:
        comments_file = tmp_path / "comments.csv"
        if isinstance(comments, bytes):
            comments_file.write_bytes(comments)
        else:
            comments_file.write_text(comments)
        args += ["--comments", str(comments_file)]

    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Statement.objects.exists()


def test_a_missing_comments_file_is_a_clear_error():
    with pytest.raises(CommandError, match="No such file"):
        run(NODES, "--comments", "/nonexistent/comments.json")
    assert not Statement.objects.exists()


def test_rows_of_one_node_without_translation_fields_do_not_overwrite_each_other(
    tmp_path,
):
    rows = [
        {"nid": "40", "title": "First", "langcode": "en", "created": "1612170000"},
        {"nid": "40", "title": "نخست", "langcode": "fa", "created": "1612170000"},
    ]
    path = tmp_path / "nodes.json"
    path.write_text(json.dumps(rows))
    run(str(path))

    out, _ = run(str(path))

    assert imported("40/fa").translation_of == imported("40")
    assert "Created 0, updated 0, skipped 0; 2 unchanged" in out
