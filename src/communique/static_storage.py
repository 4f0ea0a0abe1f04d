"""The static files as `communique serve` gathers them: stylesheets without
their comments and indentation.

The stylesheet in the source tree is written to be read, with notes on why
each rule is there; a reader's browser needs none of that. When the static
files are gathered, each stylesheet is written out minified before it is
hashed and compressed (WhiteNoise), so the page a reader downloads carries
only the rules. The page-weight test counts the stylesheet as served.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from whitenoise.storage import CompressedManifestStaticFilesStorage

_STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_SPACE = re.compile(r"\s+")
# Spaces that never matter next to these characters. Not "+", "-", "(" or
# ")": calc() and media queries need the spaces around them.
_AROUND_PUNCTUATION = re.compile(r" ?([{};,>~]) ?")
_AFTER_COLON = re.compile(r": ")


def minify_css(css: str) -> str:
    """``css`` without comments and without the whitespace that changes
    nothing. Quoted strings are kept exactly as written."""
    pieces = []
    position = 0
    for string in _STRING.finditer(css):
        pieces.append(_minify_code(css[position : string.start()]))
        pieces.append(string.group())
        position = string.end()
    pieces.append(_minify_code(css[position:]))
    return "".join(pieces).strip() + "\n"


def _minify_code(code: str) -> str:
    code = _SPACE.sub(" ", _COMMENT.sub(" ", code))
    code = _AROUND_PUNCTUATION.sub(r"\1", code)
    return _AFTER_COLON.sub(":", code).replace(";}", "}")


def _is_own_stylesheet(name: str) -> bool:
    return name.startswith("communique/") and name.endswith(".css")


class MinifiedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed static files, with each of the site's
    own stylesheets minified first (Django's admin keeps its own as they are)."""

    def post_process(
        self,
        paths: dict[str, tuple[Storage, str]],
        dry_run: bool = False,
        **options: Any,
    ) -> Iterator[tuple[str, str, bool]]:
        if not dry_run:
            for name in [name for name in paths if _is_own_stylesheet(name)]:
                source_storage, source_path = paths[name]
                with source_storage.open(source_path) as source:
                    css = source.read().decode("utf-8")
                if self.exists(name):
                    self.delete(name)
                self.save(name, ContentFile(minify_css(css).encode("utf-8")))
                paths[name] = (self, name)
        yield from super().post_process(paths, dry_run=dry_run, **options)
