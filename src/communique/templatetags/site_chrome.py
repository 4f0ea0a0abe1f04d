"""``{% site_links %}``, ``{% site_header %}`` and ``{% site_footer %}``: the
parts of every page's head, header and footer that are the same on every
page of a language.

Readers' copies are rendered once per language and kept in the worker's
memory (a change of settings empties it), since every page shows them and
nothing in them changes while the site runs: ten translated phrases and the
site's addresses, which cost a tenth of a statement page rendered anew
(bench/render_cost.py --instructions). A moderator's header, which links to
the queue and says how many comments wait there, is rendered for each page.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.context import Context
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from communique.context_processors import site_urls
from communique.worker_memory import Kept

register = template.Library()

_readers_copies: Kept[tuple[str, str, str], SafeString] = Kept("site-chrome", size=64)


def _is_moderator(context: Context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_perm("comments.moderate_comments")
    )


def _render(part: str, **extra: object) -> SafeString:
    return SafeString(
        render_to_string(
            f"includes/_site_{part}.html",
            {
                "site_name": settings.COMMUNIQUE_SITE_NAME,
                "site_urls": site_urls(),
                "has_mirrors": bool(settings.COMMUNIQUE_MIRRORS),
                **extra,
            },
        )
    )


def _readers_copy(part: str) -> SafeString:
    key = (part, get_language(), get_script_prefix())
    html = _readers_copies.get(key)
    if html is None:
        html = _render(part)
        _readers_copies.put(key, html)
    return html


@register.simple_tag
def site_links() -> SafeString:
    """The head's icon, stylesheet and the site's feed."""
    return _readers_copy("links")


@register.simple_tag(takes_context=True)
def site_header(context: Context) -> SafeString:
    """The skip link, then the header's opening, the site's name, the main
    navigation and the search form (the page adds its language switcher)."""
    if _is_moderator(context):
        from communique.comments.models import Comment

        return _render(
            "header",
            moderation_url=reverse("comments:moderation"),
            moderation_waiting=Comment.objects.pending().count(),
        )
    return _readers_copy("header")


@register.simple_tag
def site_footer() -> SafeString:
    """The site's feeds, and what the site is made with."""
    return _readers_copy("footer")
