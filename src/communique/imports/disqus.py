"""Comments from a Disqus export (Admin → Moderation/Community → Export).

The export is one XML document, root ``<disqus xmlns="http://disqus.com">``,
holding ``<category>`` elements, then a ``<thread dsq:id="…">`` for each page
that had the comment box (its ``<link>``, ``<title>``, ``<id>``, the page's
own identifier, and ``<createdAt>``), then a ``<post dsq:id="…">`` for each
comment, naming its thread and its parent post by ``dsq:id`` (the
``http://disqus.com/disqus-internals`` namespace), with ``<message>`` (HTML,
usually in CDATA), ``<createdAt>``, ``<isDeleted>``, ``<isSpam>`` and an
``<author>`` (``<name>``, ``<email>`` when Disqus had it, ``<username>``,
``<isAnonymous>``) and ``<ipAddress>``.

Disqus never held the statements: each thread is matched to a statement
already here by its address (``matching``), and the posts of a thread that
matches none are reported and skipped. The file comes from another site, so
it is read with defusedxml: a document that declares entities (the
"billion laughs") or points to external ones is refused, not expanded.
"""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils import timezone
from django.utils.translation import gettext as _

from communique.comments.models import Comment
from communique.imports.matching import BY_SLUG, host_of, statement_for
from communique.imports.report import Outcome
from communique.imports.threads import parents_first
from communique.imports.writes import (
    CommentData,
    ImportRun,
    SourceError,
    import_comment,
    keep_old_addresses,
)
from communique.publishing.models import Statement
from communique.textformats import text_from_html

NS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"
TRUE, FALSE = "true", "false"


@dataclass(frozen=True)
class Thread:
    id: str
    link: str
    identifier: str
    title: str


@dataclass(frozen=True)
class Post:
    id: str
    thread_id: str
    parent_id: str
    message: str
    created: str
    deleted: str
    spam: str
    name: str
    username: str
    email: str
    ip: str


def _text(element: Element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _ref(element: Element, tag: str) -> str:
    found = element.find(NS + tag)
    return (found.get(DSQ_ID) or "").strip() if found is not None else ""


def _post(element: Element) -> Post:
    author = NS + "author/" + NS
    return Post(
        id=(element.get(DSQ_ID) or "").strip(),
        thread_id=_ref(element, "thread"),
        parent_id=_ref(element, "parent"),
        message=_text(element, NS + "message"),
        created=_text(element, NS + "createdAt"),
        deleted=_text(element, NS + "isDeleted").lower(),
        spam=_text(element, NS + "isSpam").lower(),
        name=_text(element, author + "name"),
        username=_text(element, author + "username"),
        email=_text(element, author + "email"),
        ip=_text(element, NS + "ipAddress"),
    )


def _thread(element: Element) -> Thread:
    return Thread(
        id=(element.get(DSQ_ID) or "").strip(),
        link=_text(element, NS + "link"),
        identifier=_text(element, NS + "id"),
        title=_text(element, NS + "title"),
    )


def _elements(path: Path) -> Iterator[Element]:
    """The children of the root, each dropped once read (exports run to
    hundreds of megabytes); ``.gz`` files, as Disqus mails them, unpacked
    on the way."""
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as file:
        yield from _children(file)


def _children(file: BinaryIO) -> Iterator[Element]:
    depth = 0
    root: Element | None = None
    for event, element in iterparse(file, events=("start", "end")):
        if event == "start":
            if depth == 0 and element.tag != NS + "disqus":
                raise SourceError(_("this is not a Disqus export (no <disqus> root)"))
            root = root if depth else element
            depth += 1
            continue
        depth -= 1
        if depth == 1:
            yield element
            root.remove(element)


def read_export(path: Path) -> tuple[dict[str, Thread], list[Post]]:
    """The threads (by ``dsq:id``) and posts of the export at ``path``."""
    threads: dict[str, Thread] = {}
    posts: list[Post] = []
    try:
        for element in _elements(path):
            if element.tag == NS + "thread":
                thread = _thread(element)
                threads[thread.id] = thread
            elif element.tag == NS + "post":
                posts.append(_post(element))
    except DefusedXmlException:
        raise SourceError(
            _("the file declares entities or a DTD, which a Disqus export never does")
        ) from None
    except (ParseError, OSError, EOFError) as error:
        raise SourceError(
            _("not well-formed XML (%(error)s)") % {"error": error}
        ) from None
    return threads, posts


def parse_time(value: str) -> dt.datetime | None:
    """A Disqus date (``2021-03-04T10:12:22Z``), aware; None if unreadable."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _flag(run: ImportRun, value: str, name: str, label: str) -> bool:
    if value not in (TRUE, FALSE, ""):
        run.report.problem(
            label,
            _("unknown value %(value)r of %(name)s; read as false")
            % {"value": value, "name": name},
        )
    return value == TRUE


def _status(run: ImportRun, post: Post, label: str, *, pending: bool) -> str:
    if _flag(run, post.spam, "isSpam", label):
        return Comment.Status.SPAM
    if _flag(run, post.deleted, "isDeleted", label):
        return Comment.Status.DELETED
    return Comment.Status.PENDING if pending else Comment.Status.PUBLISHED


def _created(run: ImportRun, post: Post, statement: Statement, label: str):
    moment = parse_time(post.created)
    if moment is not None:
        return moment
    # The statement's own moment: the same on every run, so a second run
    # finds the comment unchanged.
    fallback = statement.published_at or timezone.make_aware(
        dt.datetime.combine(statement.date, dt.time(12))
    )
    run.report.problem(
        label,
        _("no readable date (%(value)r); dated as its statement")
        % {"value": post.created},
    )
    return fallback


def comment_data(
    run: ImportRun, post: Post, statement: Statement, *, pending: bool
) -> CommentData:
    label = _("comment %(id)s") % {"id": post.id}
    return CommentData(
        external_id=post.id,
        author_name=post.name or post.username,
        body=text_from_html(post.message),
        created=_created(run, post, statement, label),
        status=_status(run, post, label, pending=pending),
        parent_id=post.parent_id,
        email=post.email,
        ip=post.ip,
    )


def _on_the_site(thread: Thread, hosts: frozenset[str]) -> bool:
    return not hosts or host_of(thread.link) in hosts


def _match_threads(
    run: ImportRun, threads: dict[str, Thread], wanted: set[str], hosts: frozenset
) -> dict[str, Statement]:
    """The statement of each thread in ``wanted``; the others reported."""
    matched: dict[str, Statement] = {}
    for thread_id in sorted(wanted):
        thread = threads.get(thread_id)
        label = _("thread %(id)s") % {"id": thread_id}
        if thread is None:
            run.report.problem(label, _("not in the file; its comments are skipped"))
            continue
        if not _on_the_site(thread, hosts):
            run.report.problem(
                label,
                _("%(link)s is not on the old site; its comments are skipped")
                % {"link": thread.link},
            )
            continue
        match = statement_for([thread.link, *thread.identifier.split()])
        if match.statement is None:
            reason = (
                _("several statements here have its slug; its comments are skipped")
                if match.ambiguous
                else _("no statement here has this address; its comments are skipped")
            )
            run.report.problem(label, f"{thread.link or thread.title}: {reason}")
            continue
        if match.how == BY_SLUG:
            # Found by its slug alone: its old address now leads there too.
            keep_old_addresses(
                run, (thread.link,), statement=match.statement, label=label
            )
        matched[thread_id] = match.statement
    return matched


def import_disqus(
    path: Path, run: ImportRun, *, site_urls: list[str], pending: bool
) -> None:
    """Import the comments of the Disqus export at ``path``."""
    threads, posts = read_export(path)
    hosts = frozenset(host_of(u if "//" in u else "//" + u) for u in site_urls)
    statements = _match_threads(run, threads, {p.thread_id for p in posts}, hosts)
    for post in posts:
        if not post.id:
            run.report.problem(_("comment"), _("a post without a dsq:id; skipped"))
    ordered = parents_first(
        [post for post in posts if post.id],
        key=lambda p: p.id,
        parent=lambda p: p.parent_id,
        order=lambda p: (p.created, p.id),
    )
    for post in ordered:
        label = _("comment %(id)s") % {"id": post.id}
        statement = statements.get(post.thread_id)
        if statement is None:
            run.report.note(
                Outcome.SKIPPED,
                label,
                _("its thread %(id)s matches no statement") % {"id": post.thread_id},
            )
        else:
            data = comment_data(run, post, statement, pending=pending)
            import_comment(run, data, statement=statement, label=label)
