"""Drupal comments as comments.

Drupal's core comments have two statuses, published (1) and not yet
approved (0); a deleted comment is gone from the export. ``pid`` names the
comment replied to (0 or empty for none). The subject line Drupal made from
the first words is not kept: comments here have their text only.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from communique.comments.models import Comment
from communique.imports.drupal import values
from communique.imports.drupal.files import Row
from communique.imports.writes import CommentData, ImportRun
from communique.publishing.models import Statement


def ids(row: Row) -> tuple[str, str, str]:
    """The comment's cid, its parent's (empty for none) and its node's nid."""
    pid = values.text(row.get("pid", ""))
    return (
        values.text(row.get("cid", "")),
        "" if pid in ("", "0") else pid,
        values.text(row.get("nid", "")),
    )


def _status(run: ImportRun, row: Row, label: str) -> str:
    if "status" not in row:
        return Comment.Status.PUBLISHED
    approved = values.flag(row["status"])
    if approved is None:
        run.report.problem(
            label,
            _("unknown status %(status)r; held for review")
            % {"status": values.text(row["status"])},
        )
    return Comment.Status.PUBLISHED if approved else Comment.Status.PENDING


def _created(run: ImportRun, row: Row, statement: Statement, label: str) -> dt.datetime:
    found = values.moment(row.get("created", ""))
    if found is not None:
        return found
    run.report.problem(
        label,
        _("no readable date (%(value)r); dated as its statement")
        % {"value": values.text(row.get("created", ""))},
    )
    # The statement's moment, the same on every run: a second run finds the
    # comment unchanged.
    return statement.published_at or timezone.make_aware(
        dt.datetime.combine(statement.date, dt.time(12))
    )


def comment_data(run: ImportRun, row: Row, statement: Statement) -> CommentData:
    cid, pid, _nid = ids(row)
    label = _("comment %(id)s") % {"id": cid}
    return CommentData(
        external_id=cid,
        author_name=values.text(row.get("name", "")),
        body=values.text(row.get("comment_body", "")),
        created=_created(run, row, statement, label),
        status=_status(run, row, label),
        parent_id=pid,
        email=values.text(row.get("mail", "")),
        homepage=values.address(row.get("homepage", "")),
        ip=values.text(row.get("hostname", "")),
        old_addresses=(f"/comment/{cid}", f"/?q=comment/{cid}"),
    )
