"""The order in which a WordPress export is stored, item by item.

Statements that translate nothing come first, then the translations (the
base links a translation only to a statement already imported); each
statement's comments follow it, every reply after the comment it answers,
whatever order the file lists them in.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from communique.imports.report import Outcome
from communique.imports.wordpress import mapping
from communique.imports.wordpress.languages import read_languages
from communique.imports.wordpress.mapping import Choices
from communique.imports.wordpress.wxr import Export, WxrComment, WxrPost
from communique.imports.writes import ImportRun, import_comment, import_statement
from communique.publishing.models import Statement


def _label(post: WxrPost) -> str:
    return f"{post.post_type} {post.id or '?'}"


def _comment_label(comment: WxrComment, post: WxrPost) -> str:
    return _("comment %(id)s on %(post)s") % {
        "id": comment["wp:comment_id"].strip() or "?",
        "post": _label(post),
    }


def parents_first(comments: tuple[WxrComment, ...]) -> list[WxrComment]:
    """``comments`` with each reply after the comment it answers (when that
    is in the list), otherwise in the file's order."""
    by_id = {c["wp:comment_id"].strip(): c for c in comments}
    done: set[str] = set()
    ordered: list[WxrComment] = []
    for comment in comments:
        chain = []
        current: WxrComment | None = comment
        while current is not None:
            key = current["wp:comment_id"].strip()
            if key in done or any(key == c["wp:comment_id"].strip() for c in chain):
                break
            chain.append(current)
            current = by_id.get(current["wp:comment_parent"].strip())
        for item in reversed(chain):
            done.add(item["wp:comment_id"].strip())
            ordered.append(item)
    return ordered


def _import_comments(
    run: ImportRun,
    post: WxrPost,
    statement: Statement,
    choices: Choices,
    moment: dt.datetime,
) -> None:
    for comment in parents_first(post.comments):
        label = _comment_label(comment, post)
        reason = mapping.comment_skip_reason(comment, choices)
        if reason:
            run.report.note(Outcome.SKIPPED, label, reason)
            continue
        data, problems = mapping.comment_data(comment, post, moment)
        for problem in problems:
            run.report.problem(label, problem)
        import_comment(run, data, statement=statement, label=label)


def _skip_comments(run: ImportRun, post: WxrPost) -> None:
    for comment in post.comments:
        run.report.note(
            Outcome.SKIPPED,
            _comment_label(comment, post),
            _("its %(post)s was not imported") % {"post": _label(post)},
        )


def import_export(export: Export, run: ImportRun, choices: Choices) -> None:
    """Store every post of ``export`` the operator chose, with its comments."""
    languages = read_languages(export)
    wanted = []
    for post in export.posts:
        reason = mapping.skip_reason(post, choices)
        if reason:
            run.report.note(Outcome.SKIPPED, _label(post), reason)
            _skip_comments(run, post)
        else:
            wanted.append(post)
    imported = {p.id for p in wanted}
    originals = [p for p in wanted if languages.original_of.get(p.id) not in imported]
    translations = [p for p in wanted if languages.original_of.get(p.id) in imported]
    for post in originals + translations:
        original = languages.original_of.get(post.id, "")
        data, problems = mapping.statement_data(
            post,
            export,
            choices,
            language=languages.language_of.get(post.id, ""),
            translation_of=original if original in imported else "",
        )
        label = _label(post)
        for problem in problems:
            run.report.problem(label, problem)
        statement = import_statement(run, data, label=label)
        if statement is None:
            _skip_comments(run, post)
            continue
        moment = data.published_at or timezone.make_aware(
            dt.datetime.combine(data.date, dt.time(12))
        )
        _import_comments(run, post, statement, choices, moment)
