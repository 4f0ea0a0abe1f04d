import pytest
from bs4 import BeautifulSoup

from communique import textformats
from communique.textformats.sanitize import EDITOR_TAGS

HOSTILE_INPUTS = [
    "<script>alert(1)</script>",
    '<img src="https://tracker.example/x.gif" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    '<iframe src="https://example.org"></iframe>',
    '<p style="background:url(https://tracker.example/)">styled</p>',
    "<svg onload=alert(1)>",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
    "[data](data:text/html;base64,PHNjcmlwdD4=)",
    "<!-- a comment --><b>bold</b>",
    '<form action="https://example.org"><input name="x"></form>',
    "<h1>Second title</h1>",
]


@pytest.mark.parametrize("format_name", textformats.EDITOR_FORMATS)
@pytest.mark.parametrize("source", HOSTILE_INPUTS)
def test_editor_formats_output_only_allowed_markup(format_name, source):
    html = textformats.render(format_name, source)
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        assert element.name in EDITOR_TAGS, html
        for attribute in element.attrs:
            assert not attribute.startswith("on"), html
            assert attribute != "style", html
        href = element.get("href", "")
        assert not href.lower().startswith(("javascript:", "data:")), html
        assert not element.get("src"), html


def test_markdown_paragraphs_emphasis_and_links():
    html = textformats.render(
        "markdown", "One *two* **three**.\n\nSee [it](https://example.org/a)."
    )
    soup = BeautifulSoup(html, "html.parser")
    assert [p.get_text() for p in soup.find_all("p")] == [
        "One two three.",
        "See it.",
    ]
    link = soup.find("a")
    assert link["href"] == "https://example.org/a"
    assert "noopener" in link["rel"]


def test_markdown_headings_stay_below_the_page_title():
    html = textformats.render("markdown", "# Top\n\n## Next\n\n### Third")
    assert "<h1>" not in html
    assert "<h2>Top</h2>" in html
    assert "<h2>Next</h2>" in html
    assert "<h3>Third</h3>" in html


def test_markdown_shows_raw_html_as_text():
    html = textformats.render("markdown", "a <b>tag</b> & more")
    assert html == "<p>a &lt;b&gt;tag&lt;/b&gt; &amp; more</p>\n"


def test_markdown_lists_quotes_and_tables():
    source = "- one\n- two\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    soup = BeautifulSoup(textformats.render("markdown", source), "html.parser")
    assert [li.get_text() for li in soup.find_all("li")] == ["one", "two"]
    assert soup.find("blockquote").get_text(strip=True) == "quoted"
    assert [td.get_text() for td in soup.find_all("td")] == ["1", "2"]


def test_basic_html_keeps_allowed_tags_and_drops_the_rest():
    html = textformats.render(
        "basic_html",
        '<p class="x">Keep <em>this</em></p><div><span>and text</span></div>',
    )
    assert html == "<p>Keep <em>this</em></p>and text"


@pytest.mark.parametrize("format_name", sorted(textformats.FORMATS))
def test_every_format_has_a_label_and_tips(format_name):
    text_format = textformats.get_format(format_name)
    assert str(text_format.label)
    assert text_format.tips
    assert all(str(tip) for tip in text_format.tips)


def test_unknown_format_is_a_key_error():
    with pytest.raises(KeyError):
        textformats.render("word", "text")


def test_stored_html_is_marked_safe_for_templates():
    from django.template import Context, Template

    html = textformats.render("markdown", "*hi*")
    rendered = Template("{{ body }}").render(
        Context({"body": textformats.stored_html(html)})
    )
    assert "<em>hi</em>" in rendered
