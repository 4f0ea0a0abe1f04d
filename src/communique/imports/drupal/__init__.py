"""Statements and comments from a Drupal site's views (JSON or CSV).

``import_drupal`` reads the nodes file (``files``), imports each node as a
statement, originals before their translations (``nodes``), then, from the
comments file, each comment on the statement its node became, parents
first (``comments``). What the views must show is in
docs/importing.md.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from communique.imports.drupal import comments, nodes
from communique.imports.drupal.files import (
    COMMENT_FIELDS,
    COMMENT_REQUIRED,
    NODE_FIELDS,
    NODE_REQUIRED,
    Row,
    read_rows,
)
from communique.imports.drupal.values import language
from communique.imports.report import Outcome
from communique.imports.threads import parents_first
from communique.imports.writes import (
    ImportRun,
    import_comment,
    import_statement,
    imported_statement,
)
from communique.publishing.models import Statement


def _import_nodes(run: ImportRun, rows: list[Row], *, signature: str) -> None:
    pairs = list(zip(rows, nodes.external_ids(rows), strict=True))
    # Originals first: a translation finds the statement it translates.
    pairs.sort(key=lambda pair: bool(pair[1][1]))
    for row, ids in pairs:
        if not ids[0]:
            run.report.problem(_("node"), _("a row without a nid; skipped"))
            continue
        data = nodes.statement_data(run, row, ids, signature=signature)
        if data is not None:
            import_statement(run, data, label=_("node %(id)s") % {"id": ids[0]})


def _statement_of(
    run: ImportRun, row: Row, nid: str, known: dict[str, Statement | None]
) -> Statement | None:
    """The statement of the comment's node, in the comment's language when
    the node was translated into it; ``known`` keeps those found."""
    code = language(row.get("langcode", ""))
    for external_id in (f"{nid}/{code}", nid) if code else (nid,):
        if external_id not in known:
            known[external_id] = imported_statement(run, external_id)
        if known[external_id] is not None:
            return known[external_id]
    return None


def _import_comments(run: ImportRun, rows: list[Row]) -> None:
    for row in rows:
        if not comments.ids(row)[0]:
            run.report.problem(_("comment"), _("a row without a cid; skipped"))
    ordered = parents_first(
        [row for row in rows if comments.ids(row)[0]],
        key=lambda row: comments.ids(row)[0],
        parent=lambda row: comments.ids(row)[1],
        order=lambda row: (len(comments.ids(row)[0]), comments.ids(row)[0]),
    )
    known: dict[str, Statement | None] = {}
    for row in ordered:
        cid, _pid, nid = comments.ids(row)
        label = _("comment %(id)s") % {"id": cid}
        statement = _statement_of(run, row, nid, known)
        if statement is None:
            run.report.note(
                Outcome.SKIPPED,
                label,
                _("its node %(nid)s was not imported") % {"nid": nid or "?"},
            )
            continue
        data = comments.comment_data(run, row, statement)
        import_comment(run, data, statement=statement, label=label)


def import_drupal(
    nodes_path: Path,
    run: ImportRun,
    *,
    comments_path: Path | None = None,
    signature: str = "",
) -> None:
    """Import the nodes at ``nodes_path``, then the comments at
    ``comments_path``; both files are read before anything is written."""
    node_rows = read_rows(nodes_path, NODE_FIELDS, NODE_REQUIRED)
    comment_rows = (
        read_rows(comments_path, COMMENT_FIELDS, COMMENT_REQUIRED)
        if comments_path is not None
        else []
    )
    _import_nodes(run, node_rows, signature=signature)
    _import_comments(run, comment_rows)
