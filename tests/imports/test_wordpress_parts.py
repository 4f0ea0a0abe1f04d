"""The WordPress importer's parts: hostile files, PHP arrays, bodies,
languages and the order of comments."""

import pytest
from django.core.management import CommandError

from communique.imports.models import ImportedItem
from communique.imports.wordpress.bodies import statement_html
from communique.imports.wordpress.importer import parents_first
from communique.imports.wordpress.languages import site_language
from communique.imports.wordpress.phpdata import unserialize_flat_array
from communique.imports.wordpress.wxr import WxrComment
from communique.publishing.models import Statement
from tests.imports.wordpress_helpers import HOSTILE, import_wordpress

pytestmark = pytest.mark.django_db

EXPORT_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n'
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
    "<wp:wxr_version>1.2</wp:wxr_version><item><title>{title}</title>"
    "<content:encoded>{body}</content:encoded><wp:post_id>1</wp:post_id>"
    "<wp:post_date_gmt>2022-01-01 10:00:00</wp:post_date_gmt>"
    "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
    "</item></channel></rss>"
)


def test_a_billion_laughs_file_is_refused_before_it_expands():
    with pytest.raises(CommandError, match="declares XML entities"):
        import_wordpress(HOSTILE / "billion_laughs.xml")
    assert not Statement.objects.exists()


@pytest.mark.parametrize(
    "declaration",
    [
        '<!ENTITY secret SYSTEM "file://{path}">',
        '<!ENTITY % remote SYSTEM "file://{path}"> %remote;',
    ],
)
def test_an_external_entity_never_reads_a_local_file(tmp_path, declaration):
    secret = tmp_path / "secret.txt"
    secret.write_text("the-private-key-material", encoding="utf-8")
    doctype = "<!DOCTYPE rss [" + declaration.format(path=secret) + "]>"
    export = tmp_path / "export.xml"
    export.write_text(
        EXPORT_START.format(doctype=doctype, title="&secret;", body="B"),
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="declares XML entities"):
        import_wordpress(export)
    assert not Statement.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_wordpress.xml", "not a WordPress export file"),
        ("truncated.xml", "not well-formed XML"),
    ],
)
def test_a_file_that_is_not_an_export_is_a_clear_error(name, message):
    with pytest.raises(CommandError, match=message):
        import_wordpress(HOSTILE / name)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        import_wordpress(tmp_path / "nowhere.xml")


def test_a_file_in_another_encoding_than_declared_is_a_clear_error(tmp_path):
    export = tmp_path / "latin.xml"
    export.write_bytes(
        EXPORT_START.format(doctype="", title="Caf\xe9", body="B").encode("latin-1")
    )
    with pytest.raises(CommandError, match="not well-formed XML"):
        import_wordpress(export)


def test_a_minimal_export_imports(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        EXPORT_START.format(doctype="", title="Tiny", body="Body."), encoding="utf-8"
    )
    import_wordpress(export)
    assert ImportedItem.objects.get().statement.title == "Tiny"


def test_an_empty_post_is_imported_and_reported(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        EXPORT_START.format(doctype="", title="", body=""), encoding="utf-8"
    )

    _out, err = import_wordpress(export)

    assert "problem: post 1: empty body" in err
    assert "problem: post 1: no title" in err
    assert ImportedItem.objects.get().statement.title


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('a:2:{s:2:"en";i:12;s:2:"fa";i:14;}', {"en": 12, "fa": 14}),
        ('a:1:{s:6:"locale";s:5:"fa_IR";}', {"locale": "fa_IR"}),
        ('a:1:{s:4:"name";s:10:"فارسی";}', {"name": "فارسی"}),  # byte lengths
        ("a:3:{i:0;b:1;i:1;N;i:2;d:0.5;}", {0: True, 1: None, 2: 0.5}),
        ("a:0:{}", {}),
    ],
)
def test_php_arrays_of_scalars_are_read(text, value):
    assert unserialize_flat_array(text) == value


@pytest.mark.parametrize(
    "text",
    [
        'O:8:"stdClass":0:{}',  # objects are how PHP sites get attacked
        'a:1:{s:1:"x";O:8:"stdClass":0:{}}',
        'a:1:{s:1:"x";a:0:{}}',  # nested arrays are not needed
        'a:2:{s:2:"en";i:12;}',  # fewer items than announced
        'a:1:{s:9:"en";i:12;}',  # a length past the text
        'a:1:{s:2:"en";i:12;}trailing',
        "a:1:{d:NAN;i:1;}",
        "",
        "not php",
    ],
)
def test_other_php_data_is_refused(text):
    with pytest.raises(ValueError):
        unserialize_flat_array(text)


@pytest.mark.parametrize(
    ("content", "html"),
    [
        ("One.\n\nTwo,\nthree.", "<p>One.</p>\n\n<p>Two,<br>\nthree.</p>"),
        ("<p>Kept.</p>", "<p>Kept.</p>"),
        (
            "<!-- wp:paragraph -->\n<p>Block.</p>\n<!-- /wp:paragraph -->",
            "<!-- wp:paragraph -->\n<p>Block.</p>\n<!-- /wp:paragraph -->",
        ),
        ("<h2>Title</h2>\n\nText.", "<h2>Title</h2>\n\n<p>Text.</p>"),
        (
            '[caption id="a"]<img src="/u/a.jpg" alt="A &amp; B">[/caption]',
            '<p><a href="/u/a.jpg">[A &amp; B]</a></p>',
        ),
        ("<img src='/u/b.png'>", '<p><a href="/u/b.png">[image]</a></p>'),
        ('<img alt="no source">', ""),
        (
            "[embed]https://video.example.org/v/1[/embed]",
            '<p><a href="https://video.example.org/v/1">'
            "https://video.example.org/v/1</a></p>",
        ),
        ('[gallery ids="1,2"]', '<p>[gallery ids="1,2"]</p>'),
        ("\r\nWindows\r\n\r\nlines\r\n", "<p>Windows</p>\n\n<p>lines</p>"),
    ],
)
def test_bodies_get_the_paragraphs_wordpress_adds_when_showing_them(content, html):
    assert statement_html(content) == html


@pytest.mark.parametrize(
    ("candidates", "code"),
    [
        (("fa", "fa_IR"), "fa"),
        (("en", "en_GB"), "en"),
        (("EN",), "en"),
        (("fa_IR",), "fa"),
        (("pt", "pt_BR"), "pt-br"),  # Django knows pt-br; the site has not pt
        (("de",), "de"),
        (("xx", "xx_YY"), "xx"),  # reported as unknown when stored
        ((), ""),
    ],
)
def test_a_plugins_language_becomes_a_site_language_or_a_known_code(
    settings, candidates, code
):
    settings.LANGUAGES = [("en", "English"), ("fa", "Persian")]
    assert site_language(*candidates) == code


def _comment(comment_id: str, parent: str = "0") -> WxrComment:
    return WxrComment({"wp:comment_id": comment_id, "wp:comment_parent": parent})


def test_replies_come_after_what_they_answer_even_in_a_loop():
    comments = (
        _comment("3", "2"),
        _comment("2", "1"),
        _comment("1"),
        _comment("5", "6"),  # a loop, as a broken database may hold
        _comment("6", "5"),
        _comment("7", "99"),  # a parent not in the file
    )

    ordered = [c["wp:comment_id"] for c in parents_first(comments)]

    assert ordered[:3] == ["1", "2", "3"]
    assert sorted(ordered) == ["1", "2", "3", "5", "6", "7"]


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_older_export_versions_are_read(tmp_path, version):
    export = tmp_path / "export.xml"
    export.write_text(
        EXPORT_START.format(doctype="", title="Old", body="Body.").replace(
            "export/1.2/", f"export/{version}/"
        ),
        encoding="utf-8",
    )

    import_wordpress(export)

    assert ImportedItem.objects.get().statement.title == "Old"
