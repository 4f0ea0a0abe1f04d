"""Which language each post is in, and which post it translates, as the
multilingual plugins Polylang and WPML left them in a WordPress export.

Polylang keeps both in taxonomies, which WordPress exports with everything
else: each post carries ``<category domain="language" nicename="fa">``, and
translations share a ``<category domain="post_translations">`` group whose
``<wp:term>`` description is a PHP array of language → post id. The
language's own ``<wp:term>`` names its locale (``fa_IR``) in its description.

WPML keeps languages in tables of its own that WordPress's export leaves
out. What reaches the file is what the "WPML Export and Import" add-on puts
in each post's custom fields: ``_wpml_import_language_code``,
``_wpml_import_source_language_code`` (the language it was translated from)
and ``_wpml_import_translation_group``. Exports without those carry no
language: every post is then in the site's language.

In a group, the original is the post WPML names as the source; for Polylang,
which has no such notion, the post in the site's own language, else the
oldest (lowest id). Every other post of the group translates the original.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import get_language_info

from communique.imports.wordpress.phpdata import unserialize_flat_array
from communique.imports.wordpress.wxr import Export, WxrPost

WPML_LANGUAGE = "_wpml_import_language_code"
WPML_SOURCE = "_wpml_import_source_language_code"
WPML_GROUP = "_wpml_import_translation_group"


@dataclass
class Languages:
    language_of: dict[str, str] = field(default_factory=dict)  # post id -> code
    original_of: dict[str, str] = field(default_factory=dict)  # post id -> post id


def _known(code: str) -> bool:
    try:
        get_language_info(code)
    except KeyError:
        return False
    return True


def site_language(*candidates: str) -> str:
    """The language code to store for a post marked with ``candidates``
    (a plugin's slug such as ``fa`` or ``pt``, then a locale such as
    ``fa_IR``): one of the site's languages when one matches, else a code
    Django knows (``pt_BR`` as ``pt-br``), else the first candidate as it
    was (reported as unknown when the statement is stored)."""
    codes = [c.strip().lower().replace("_", "-") for c in candidates if c.strip()]
    if not codes:
        return ""
    site = {code for code, _name in settings.LANGUAGES}
    for code in codes:
        if code in site:
            return code
        if code.split("-")[0] in site:
            return code.split("-")[0]
    for code in reversed(codes):  # the locale, more precise, first
        if _known(code):
            return code
    return candidates[0].strip()


def _id_order(post_id: str) -> tuple[int, str]:
    return (int(post_id), "") if post_id.isdigit() else (1 << 62, post_id)


def _polylang_locales(export: Export) -> dict[str, str]:
    locales = {}
    for term in export.terms:
        if term.taxonomy == "language" and term.description:
            try:
                locale = unserialize_flat_array(term.description).get("locale")
            except ValueError:
                continue
            if isinstance(locale, str):
                locales[term.slug] = locale
    return locales


def _polylang_groups(export: Export) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for term in export.terms:
        if term.taxonomy == "post_translations" and term.description:
            try:
                members = unserialize_flat_array(term.description)
            except ValueError:
                continue
            groups[term.slug].update(str(v) for v in members.values() if v)
    for post in export.posts:
        for category in post.categories:
            if category.domain == "post_translations":
                groups[category.nicename].add(post.id)
    return groups


def _polylang(export: Export, result: Languages) -> None:
    locales = _polylang_locales(export)
    for post in export.posts:
        for category in post.categories:
            if category.domain == "language" and category.nicename:
                result.language_of[post.id] = site_language(
                    category.nicename, locales.get(category.nicename, "")
                )
    for members in _polylang_groups(export).values():
        present = sorted((m for m in members if m in result.language_of), key=_id_order)
        if len(present) < 2:
            continue
        in_site_language = [
            m for m in present if result.language_of[m] == settings.LANGUAGE_CODE
        ]
        original = (in_site_language or present)[0]
        for member in present:
            if member != original:
                result.original_of[member] = original


def _wpml(posts: list[WxrPost], result: Languages) -> None:
    groups: dict[str, list[WxrPost]] = defaultdict(list)
    for post in posts:
        code = post.meta.get(WPML_LANGUAGE, "").strip()
        if code:
            result.language_of[post.id] = site_language(code)
        group = post.meta.get(WPML_GROUP, "").strip()
        if group and code:
            groups[group].append(post)
    for members in groups.values():
        sources = [m for m in members if not m.meta.get(WPML_SOURCE, "").strip()]
        original = sorted(sources or members, key=lambda m: _id_order(m.id))[0]
        for member in members:
            if member is not original:
                result.original_of[member.id] = original.id


def read_languages(export: Export) -> Languages:
    """The language and original of every post a plugin marked."""
    result = Languages()
    _polylang(export, result)
    unmarked = [p for p in export.posts if p.id not in result.language_of]
    _wpml(unmarked, result)
    return result
