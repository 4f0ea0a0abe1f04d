"""``communique import-wordpress``: what a WordPress export becomes here."""

import datetime as dt

import pytest
from django.core.management import CommandError
from django.utils import timezone

from communique.comments.models import Comment
from communique.imports.models import ImportedItem, OldAddress
from communique.publishing.models import Statement
from tests.imports.wordpress_helpers import SITE, WPML, import_wordpress

pytestmark = pytest.mark.django_db


def _statement(post_id: str) -> Statement:
    return ImportedItem.objects.get(
        source="wordpress", kind="statement", external_id=post_id
    ).statement


def _comment(comment_id: str) -> Comment:
    return ImportedItem.objects.get(
        source="wordpress", kind="comment", external_id=comment_id
    ).comment


def _everything() -> dict[str, list[dict]]:
    return {
        "statements": list(Statement.objects.order_by("pk").values()),
        "comments": list(Comment.objects.order_by("pk").values()),
        "addresses": list(OldAddress.objects.order_by("pk").values()),
        "items": list(
            ImportedItem.objects.order_by("pk").values(
                "source", "kind", "external_id", "statement", "comment", "digest"
            )
        ),
    }


def test_posts_become_statements_with_title_signature_topics_and_body():
    import_wordpress()

    statement = _statement("10")
    assert statement.title == "Bread & Roses: on the wage strike"
    assert statement.slug == "bread-roses-on-the-wage-strike"
    assert statement.signature == "Executive Board of the Harbour Workers' Union"
    assert statement.date == dt.date(2022, 1, 5)
    assert statement.published_at == dt.datetime(2022, 1, 5, 10, 30, tzinfo=dt.UTC)
    assert statement.status == Statement.Status.PUBLISHED
    assert sorted(t.name for t in statement.topics.all()) == [
        "Peace & Justice",
        "Wages",
    ]
    body = statement.body_html
    assert "<script" not in body and "alert" not in body
    assert "<p>We stand with the dock workers" in body
    assert "fair wage &amp; safe shifts.<br>" in body
    assert "]]&gt; stays as text" in body
    assert "<strong>this</strong> 💪" in body
    assert (
        '<a href="https://old.example.org/wp-content/uploads/2022/01/picket.jpg" '
        'rel="noopener noreferrer">[The picket line at dawn]</a>'
    ) in body


def test_statuses_map_to_published_scheduled_and_drafts():
    import_wordpress()

    scheduled = _statement("12")
    assert scheduled.status == Statement.Status.PUBLISHED
    assert scheduled.published_at == dt.datetime(2099, 5, 1, 7, tzinfo=dt.UTC)
    assert not Statement.objects.published().filter(pk=scheduled.pk).exists()
    assert scheduled.commenting == Statement.Commenting.CLOSED
    for draft in ("13", "14", "15", "18", "21"):
        assert _statement(draft).status == Statement.Status.DRAFT
    assert _statement("13").date == dt.date(2023, 3, 10)  # the local date
    assert _statement("13").slug == "a-draft-on-pensions"  # no post_name


def test_trash_attachments_menus_and_pages_are_skipped_and_reported():
    out, _err = import_wordpress()

    assert not ImportedItem.objects.filter(external_id__in=["16", "20", "30", "40"])
    assert "skipped: post 16: in WordPress's trash" in out
    assert "skipped: comment 160 on post 16: its post 16 was not imported" in out
    assert "skipped: attachment 30: an attachment (https://old.example.org/wp-" in out
    assert "skipped: nav_menu_item 40" in out
    assert "skipped: page 20: a page; pages are imported with --include-pages" in out


def test_pages_are_imported_when_asked():
    out, _err = import_wordpress(SITE, "--include-pages")

    assert _statement("20").title == "About the union"
    assert "<h2>Who we are</h2>" in _statement("20").body_html
    assert _comment("200").statement == _statement("20")
    assert "created: page 20" in out


def test_problems_are_reported_by_item_on_stderr():
    out, err = import_wordpress()

    assert "problem: post 17: no date; imported as a draft" in err
    assert "problem: post 18: unknown status 'archived'" in err
    assert "problem: post 19: unknown language 'xx'" in err
    assert "problem: comment 107 on post 10: unknown approval 'post-trashed'" in err
    assert "problem: comment 108 on post 10: no date; dated as its statement" in err
    assert "problem: post 21: protected by a password on the old site" in err
    assert out.rstrip().endswith("6 problems.")
    undated = _statement("17")
    assert undated.status == Statement.Status.DRAFT
    assert undated.date == dt.date(2026, 3, 2)  # the day of the export
    assert _statement("19").language == "en"


def test_polylang_languages_and_translations():
    import_wordpress()

    english, persian = _statement("10"), _statement("11")
    assert english.language == "en"
    assert persian.language == "fa"
    assert persian.translation_of == english
    assert persian.slug == "نان-و-گل-سرخ"
    assert persian.signature == "دبیرخانهٔ اتحادیه"
    assert [t.name for t in persian.topics.all()] == ["دستمزد"]


def test_wpml_languages_and_translations():
    import_wordpress(WPML)

    english, persian = _statement("50"), _statement("51")
    assert (english.language, persian.language) == ("en", "fa")
    assert persian.translation_of == english
    assert persian.slug == "بیانیه-دوم"
    assert _comment("510").body_source == "درست است؛ اجارهٔ ما دو برابر شد."


def test_comments_keep_threads_statuses_and_dates():
    import_wordpress()

    first, reply, reply_of_reply = _comment("100"), _comment("101"), _comment("102")
    assert reply.parent == first
    assert reply_of_reply.parent == reply
    assert reply_of_reply.path.startswith(reply.path + "/")
    assert _comment("109").parent == _comment("110")  # listed before its parent
    assert first.created == dt.datetime(2022, 1, 5, 12, tzinfo=dt.UTC)
    assert first.body_source == (
        "Solidarity from the night shift.\n\nWe will be at the gate & bring tea."
    )
    assert reply.body_source == "Which gate? The north one?"
    assert "\u200f(RTL mark" in reply_of_reply.body_source
    assert reply_of_reply.email == ""
    statuses = {
        key: _comment(key).status for key in ("100", "103", "104", "105", "107")
    }
    assert statuses == {
        "100": Comment.Status.PUBLISHED,
        "103": Comment.Status.SPAM,
        "104": Comment.Status.PENDING,
        "105": Comment.Status.DELETED,
        "107": Comment.Status.PENDING,
    }
    assert _comment("108").created == _statement("10").published_at
    assert _comment("120").body_source == "با این بیانیه موافقم. 🌹"
    assert _comment("121").parent == _comment("120")


def test_commenters_private_data_is_not_kept_or_shown(client):
    import_wordpress()

    first = _comment("100")
    assert first.fingerprint and "203.0.113" not in first.fingerprint
    assert first.email == "dariush@example.net"  # for moderators only
    assert _comment("101").author_name == "ana"  # a name typed as an e-mail
    stored = str(_everything())
    assert "203.0.113.9" not in stored and "2001:db8::7" not in stored
    page = client.get(_statement("10").get_absolute_url()).content.decode()
    assert "Solidarity from the night shift." in page
    assert "dariush@example.net" not in page
    assert "Cheap Watches" not in page and "Still waiting" not in page


def test_pingbacks_are_skipped_unless_asked_and_empty_comments_skipped():
    out, _err = import_wordpress()
    assert "skipped: comment 106 on post 10: a pingback" in out
    assert "skipped: comment 111 on post 10: no text" in out
    assert not ImportedItem.objects.filter(kind="comment", external_id="106")

    import_wordpress(SITE, "--include-pingbacks")
    assert _comment("106").author_name == "Another Blog"
    assert _comment("106").body_source.startswith("[…] the union said")


def test_signature_from_category_or_fixed_text():
    import_wordpress(SITE, "--signature-from", "category")
    assert _statement("10").signature == "Peace & Justice"
    assert _statement("12").signature == ""  # only "Uncategorized"

    import_wordpress(SITE, "--signature", "  The   Union ")
    assert _statement("10").signature == "The Union"


def test_topics_can_be_chosen():
    import_wordpress(SITE, "--topics", "tags")
    assert [t.name for t in _statement("10").topics.all()] == ["Wages"]

    import_wordpress(SITE, "--topics", "none")
    assert not _statement("10").topics.exists()


def test_an_unknown_topic_source_is_a_clear_error():
    with pytest.raises(CommandError, match="unknown topic source authors"):
        import_wordpress(SITE, "--topics", "categories,authors")


def test_importing_twice_changes_nothing():
    import_wordpress(SITE, "--include-pages", "--include-pingbacks")
    before = _everything()

    out, _err = import_wordpress(SITE, "--include-pages", "--include-pingbacks")

    assert _everything() == before
    lines = [line for line in out.splitlines()[:-1] if not line.startswith("skipped")]
    assert lines and all(line.startswith("unchanged: ") for line in lines)
    assert "Created 0, updated 0," in out


def test_a_changed_post_is_updated(tmp_path):
    import_wordpress()
    changed = tmp_path / "changed.xml"
    changed.write_text(
        SITE.read_text(encoding="utf-8").replace(
            "Their demands are modest.", "Their demands are modest and just."
        ),
        encoding="utf-8",
    )

    out, _err = import_wordpress(changed)

    assert "updated: post 10: Bread & Roses" in out
    assert "modest and just" in _statement("10").body_html
    assert out.count("updated: ") == 1


def test_a_dry_run_saves_nothing_and_lists_every_item():
    out, err = import_wordpress(SITE, "--dry-run")

    assert not Statement.objects.exists()
    assert not Comment.objects.exists()
    assert not ImportedItem.objects.exists()
    assert not OldAddress.objects.exists()
    assert "would create: post 10: Bread & Roses" in out
    assert "would create: comment 100 on post 10: Dariush, published" in out
    assert "would skip: post 16" in out
    assert "problem: post 18" in err
    assert out.rstrip().endswith(
        "Dry run, nothing was saved. Would create 22, update 0, skip 8; "
        "0 unchanged; 6 problems."
    )


def test_a_dry_run_after_an_import_says_unchanged():
    import_wordpress()
    before = _everything()

    out, _err = import_wordpress(SITE, "--dry-run")

    assert _everything() == before
    assert "unchanged: post 10" in out


def test_the_statement_made_here_is_still_there_after_a_deletion_and_rerun():
    import_wordpress()
    _statement("12").delete()

    out, _err = import_wordpress()

    assert "skipped: post 12: deleted here since an earlier import" in out
    assert not Statement.objects.filter(title="Our May Day programme").exists()


def test_a_published_statement_keeps_its_publication_time():
    import_wordpress()

    assert _statement("11").published_at == timezone.make_aware(
        dt.datetime(2022, 1, 6, 8), dt.UTC
    )
