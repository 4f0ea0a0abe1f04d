"""What each field of a WordPress post and comment becomes here.

Posts: ``publish`` is published at its date, ``future`` is published at the
time it was scheduled for (readers see it from then on), ``draft``,
``pending`` and ``private`` are drafts, and so is a post that had a
password (readers here would see it without one). Dates are read from the ``_gmt``
fields, which WordPress leaves as zeros for drafts never published; then
the local date is taken, in the site's time zone. Titles, term and author
names are plain text that WordPress may have stored with HTML entities
(``Bread &amp; Roses``): they are unescaped. Slugs are percent-encoded in
the file when not Latin: they are decoded.

Comments: ``comment_approved`` "1" is published, "0" pending, "spam" spam,
"trash" deleted; any other value is reported and held as pending. Their
HTML becomes our plain text (``textformats.text_from_html``).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communique import textformats
from communique.comments.models import Comment
from communique.imports.wordpress.bodies import statement_html
from communique.imports.wordpress.wxr import Export, WxrComment, WxrPost
from communique.imports.writes import CommentData, StatementData

PUBLISHED = frozenset({"publish", "future"})
DRAFTS = frozenset({"draft", "pending", "private"})
NOT_CONTENT = {
    "trash": gettext_lazy("in WordPress's trash; not imported"),
    "auto-draft": gettext_lazy("an automatic draft; not imported"),
    "inherit": gettext_lazy("a revision; not imported"),
}
COMMENT_STATUSES = {
    "1": Comment.Status.PUBLISHED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.DELETED,
}
PLAIN_COMMENT_TYPES = frozenset({"", "comment"})
PING_TYPES = frozenset({"pingback", "trackback"})
UNCATEGORIZED = "uncategorized"
NO_DATE = "0000-00-00 00:00:00"


@dataclass(frozen=True)
class Choices:
    """What the operator chose on the command line."""

    include_pages: bool = False
    include_pingbacks: bool = False
    signature_from: str = "author"  # "author" or "category"
    signature: str = ""  # a fixed signature for every statement; wins
    topics: frozenset[str] = frozenset({"categories", "tags"})


class Problems(list[str]):
    """The problems met while reading one item, reported with it."""


def text(value: str) -> str:
    """A plain-text field as WordPress may have stored it, entities and all."""
    return " ".join(html.unescape(value).split())


def read_date(gmt: str, local: str) -> dt.datetime | None:
    """The moment from a ``_gmt`` field, else from the local one (in the
    site's time zone), else None."""
    for value, aware in ((gmt, True), (local, False)):
        value = value.strip()
        if not value or value == NO_DATE:
            continue
        try:
            moment = dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
        if aware:
            return moment.replace(tzinfo=dt.UTC)
        return timezone.make_aware(moment)
    return None


def export_date(export: Export) -> dt.datetime | None:
    try:
        return parsedate_to_datetime(export.exported) if export.exported else None
    except (TypeError, ValueError):
        return None


def _hosts(urls: list[str]) -> set[str]:
    return {urlsplit(url).hostname or "" for url in urls} - {""}


def post_addresses(post: WxrPost, export: Export) -> tuple[str, ...]:
    """Where readers found the post on the old site: ``/?p=ID`` (and
    ``/?page_id=ID`` for a page), its permalink, and its guid when that is
    an address on the site."""
    addresses = [f"/?p={post.id}"]
    if post.post_type == "page":
        addresses.append(f"/?page_id={post.id}")
    if post["link"].strip():
        addresses.append(post["link"].strip())
    guid = post["guid"].strip()
    if guid.startswith(("http://", "https://")) and (
        urlsplit(guid).hostname in _hosts(export.site_urls)
    ):
        addresses.append(guid)
    return tuple(addresses)


def _status(post: WxrPost, problems: Problems) -> bool:
    status = post["wp:status"].strip()
    if status in PUBLISHED and post["wp:post_password"]:
        problems.append(
            _("protected by a password on the old site; imported as a draft")
        )
        return False
    if status in PUBLISHED:
        return True
    if status not in DRAFTS:
        problems.append(
            _("unknown status %(status)r; imported as a draft") % {"status": status}
        )
    return False


def _signature(post: WxrPost, export: Export, choices: Choices, problems) -> str:
    if choices.signature:
        return choices.signature
    if choices.signature_from == "category":
        names = [text(c.name) for c in _categories(post)]
        if not names:
            problems.append(_("no category to sign it with; no signature"))
        return names[0] if names else ""
    login = text(post["dc:creator"])
    return text(export.authors.get(login, "")) or login


def _categories(post: WxrPost):
    return [
        c
        for c in post.categories
        if c.domain == "category" and c.nicename != UNCATEGORIZED and c.name
    ]


def _topics(post: WxrPost, choices: Choices) -> tuple[str, ...]:
    names = []
    if "categories" in choices.topics:
        names += [text(c.name) for c in _categories(post)]
    if "tags" in choices.topics:
        names += [
            text(c.name) for c in post.categories if c.domain == "post_tag" and c.name
        ]
    return tuple(dict.fromkeys(name for name in names if name))


def _when(
    post: WxrPost, export: Export, problems: Problems
) -> tuple[dt.datetime, bool]:
    """The post's moment, and False when it had none (the export's date
    stands in, and the statement is kept as a draft for an editor)."""
    moment = read_date(post["wp:post_date_gmt"], post["wp:post_date"])
    if moment is not None:
        return moment, True
    problems.append(
        _("no date; imported as a draft dated the day of the export, to be set")
    )
    fallback = export_date(export) or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return fallback, False


def statement_data(
    post: WxrPost,
    export: Export,
    choices: Choices,
    *,
    language: str,
    translation_of: str,
) -> tuple[StatementData, Problems]:
    """The statement read from ``post``, and the problems met on the way."""
    problems = Problems()
    published = _status(post, problems)
    moment, dated = _when(post, export, problems)
    published = published and dated
    if not post["content:encoded"].strip():
        problems.append(_("empty body"))
    data = StatementData(
        external_id=post.id,
        title=text(post["title"]),
        body_html=statement_html(post["content:encoded"]),
        date=timezone.localtime(moment).date(),
        published=published,
        published_at=moment if published else None,
        signature=_signature(post, export, choices, problems),
        language=language,
        slug=unquote(post["wp:post_name"].strip()),
        topics=_topics(post, choices),
        old_addresses=post_addresses(post, export),
        translation_of=translation_of,
        comments_open=post["wp:comment_status"].strip() != "closed",
    )
    return data, problems


def skip_reason(post: WxrPost, choices: Choices) -> str | None:
    """Why ``post`` is not imported at all, or None when it is."""
    if post.post_type == "attachment":
        address = post["wp:attachment_url"].strip() or post["guid"].strip()
        return _("an attachment (%(file)s); files are not imported") % {"file": address}
    if post.post_type == "page" and not choices.include_pages:
        return _("a page; pages are imported with --include-pages")
    if post.post_type not in ("post", "page"):
        return _("of type %(type)r, which is not imported") % {"type": post.post_type}
    if not post.id:
        return _("no wp:post_id")
    status = post["wp:status"].strip()
    if status in NOT_CONTENT:
        return str(NOT_CONTENT[status])
    return None


def comment_skip_reason(comment: WxrComment, choices: Choices) -> str | None:
    kind = comment["wp:comment_type"].strip()
    if kind in PING_TYPES and not choices.include_pingbacks:
        return _("a %(type)s; imported with --include-pingbacks") % {"type": kind}
    if kind not in PLAIN_COMMENT_TYPES | PING_TYPES:
        return _("of type %(type)r, which is not imported") % {"type": kind}
    if not comment["wp:comment_id"].strip():
        return _("no wp:comment_id")
    return None


def comment_addresses(comment_id: str, post: WxrPost) -> tuple[str, ...]:
    """The old address that named one comment and can reach the server:
    WordPress's reply link, the post's address with ``?replytocom=N``
    (``/?p=45&replytocom=N`` under plain permalinks). ``#comment-N``
    anchors never reach a server: they land on the statement."""
    link = post["link"].strip()
    if link and "?" not in link:
        return (f"{link}?replytocom={comment_id}",)
    return (f"/?p={post.id}&replytocom={comment_id}",)


def comment_data(
    comment: WxrComment, post: WxrPost, statement_moment: dt.datetime
) -> tuple[CommentData, Problems]:
    problems = Problems()
    approved = comment["wp:comment_approved"].strip()
    status = COMMENT_STATUSES.get(approved)
    if status is None:
        problems.append(
            _("unknown approval %(value)r; held as pending") % {"value": approved}
        )
        status = Comment.Status.PENDING
    created = read_date(comment["wp:comment_date_gmt"], comment["wp:comment_date"])
    if created is None:
        problems.append(_("no date; dated as its statement"))
        created = statement_moment
    parent = comment["wp:comment_parent"].strip()
    comment_id = comment["wp:comment_id"].strip()
    data = CommentData(
        external_id=comment_id,
        author_name=text(comment["wp:comment_author"]),
        body=textformats.text_from_html(comment["wp:comment_content"]),
        created=created,
        status=status,
        parent_id="" if parent in ("", "0") else parent,
        email=comment["wp:comment_author_email"].strip(),
        homepage=comment["wp:comment_author_url"].strip(),
        ip=comment["wp:comment_author_IP"].strip(),
        old_addresses=comment_addresses(comment_id, post),
    )
    return data, problems
