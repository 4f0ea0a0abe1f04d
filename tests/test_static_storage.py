"""Stylesheets are served minified: the rules stay, the notes go."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from communique.static_storage import minify_css


@pytest.mark.parametrize(
    ("css", "minified"),
    [
        ("/* why */\np {\n  color: red;\n}\n", "p{color:red}\n"),
        ("a:hover , a:focus { outline: 0 }", "a:hover,a:focus{outline:0}\n"),
        ("main p > a { margin: 0 auto; }", "main p>a{margin:0 auto}\n"),
        ("p { inline-size: calc(100% - 2rem); }", "p{inline-size:calc(100% - 2rem)}\n"),
        (
            "@media (max-width: 30rem) and (prefers-color-scheme: dark) { p { x: 1 } }",
            "@media (max-width:30rem) and (prefers-color-scheme:dark){p{x:1}}\n",
        ),
        (
            'a::after { content: " /* not a comment */ ; } "; }',
            'a::after{content:" /* not a comment */ ; } "}\n',
        ),
        ("a[href^='http: //'] { x: 1 }", "a[href^='http: //']{x:1}\n"),
    ],
)
def test_minify_css_keeps_the_rules(css, minified):
    assert minify_css(css) == minified


def test_the_site_stylesheet_loses_its_notes():
    with open(finders.find("communique/site.css"), encoding="utf-8") as handle:
        source = handle.read()
    minified = minify_css(source)
    assert "/*" in source and "/*" not in minified
    assert len(minified) < 0.8 * len(source)
    without_notes = re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL)
    assert minified.count("{") == without_notes.count("{")


def test_gathered_static_files_carry_the_minified_stylesheet(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "communique.static_storage.MinifiedStaticFilesStorage"
        },
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    with open(finders.find("communique/site.css"), encoding="utf-8") as handle:
        source = handle.read()
    served = (tmp_path / manifest["communique/site.css"]).read_text(encoding="utf-8")
    assert served == minify_css(source)
    assert (tmp_path / (manifest["communique/site.css"] + ".br")).is_file()
    # Django's admin keeps its stylesheets as they are, notes included.
    admin = (tmp_path / manifest["admin/css/base.css"]).read_text(encoding="utf-8")
    assert "/*" in admin
