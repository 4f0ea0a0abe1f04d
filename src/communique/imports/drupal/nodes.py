"""Drupal nodes as statements.

Drupal 7 keeps each translation as a node of its own, tied to the original
by ``tnid`` (the original's nid). Drupal 8 and later keep the translations
inside one node: a view lists one row per translation, with the same nid,
its ``langcode``, and ``content_translation_source`` naming the language it
was translated from (``und`` on the original). Both become statements
joined by ``translation_of``; a row of a Drupal 8 translation has the
external id ``NID/LANGCODE``, the original's is its nid.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import unquote, urlsplit

from django.utils import timezone
from django.utils.translation import gettext as _

from communique.imports.drupal import values
from communique.imports.drupal.files import Row
from communique.imports.matching import slug_in
from communique.imports.writes import ImportRun, StatementData


def _is_original(row: Row) -> bool:
    """Whether a row of a node listed once per translation is the original."""
    if "default_langcode" in row:
        return bool(values.flag(row["default_langcode"]))
    return values.language(row.get("translation_source", "")) == ""


def external_ids(rows: list[Row]) -> list[tuple[str, str]]:
    """Each row's external id and that of the statement it translates.

    Of the rows of one Drupal 8+ node, the original is the one its fields
    name, else the first: each other row is a translation, so no two rows
    share an id (they would overwrite each other on every run)."""
    counts = Counter(values.text(row.get("nid", "")) for row in rows)
    originals: set[str] = set()
    ids = []
    for row in rows:
        nid = values.text(row.get("nid", ""))
        tnid = values.text(row.get("tnid", ""))
        if counts[nid] > 1 and (nid in originals or not _is_original(row)):
            code = values.language(row.get("langcode", ""))
            ids.append((f"{nid}/{code}", nid))
        elif tnid not in ("", "0", nid):
            ids.append((nid, tnid))
        else:
            originals.add(nid)
            ids.append((nid, ""))
    return ids


def old_addresses(row: Row, nid: str, *, translation_row: bool) -> tuple[str, ...]:
    """Where the old site showed the node: ``/node/NID`` (``/fa/node/NID``
    for a translation inside a node), the same without clean URLs
    (``/?q=node/NID``), and its path alias."""
    alias = values.address(row.get("path", ""))
    node = f"node/{nid}"
    if translation_row:
        code = values.language(row.get("langcode", ""))
        node = f"{code}/{node}"
        if alias and not alias.lstrip("/").startswith(f"{code}/"):
            alias = f"/{code}/{alias.lstrip('/')}"
    found = [f"/{node}", f"/?q={node}"]
    if alias and alias.strip("/") != node:
        found += [alias, f"/?q={alias.lstrip('/')}"]
    return tuple(found)


def _slug(alias: str, nid: str) -> str:
    """The slug the alias makes (``/statements/on-wages`` gives ``on-wages``);
    none from ``/node/12``, the title makes it then."""
    path = unquote(urlsplit(alias).path).rstrip("/")
    return slug_in(path) if path and not path.endswith(f"node/{nid}") else ""


def _published(run: ImportRun, row: Row, label: str) -> bool:
    if "status" not in row:
        return True
    published = values.flag(row["status"])
    if published is None:
        run.report.problem(
            label,
            _("unknown status %(status)r; imported as a draft")
            % {"status": values.text(row["status"])},
        )
    return bool(published)


def statement_data(
    run: ImportRun, row: Row, ids: tuple[str, str], *, signature: str
) -> StatementData | None:
    """The statement ``row`` describes; None (reported) if it has no date."""
    external_id, translation_of = ids
    label = _("node %(id)s") % {"id": external_id}
    created = values.moment(row.get("created", ""))
    if created is None:
        created = values.moment(row.get("changed", ""))
        if created is None:
            run.report.problem(label, _("no readable date; not imported"))
            return None
        run.report.problem(label, _("no creation date; dated when last changed"))
    nid = values.text(row["nid"])
    alias = values.address(row.get("path", ""))
    return StatementData(
        external_id=external_id,
        title=values.text(row.get("title", "")),
        body_html=values.first(row.get("body", "")),
        date=timezone.localtime(created).date(),
        published=_published(run, row, label),
        published_at=created,
        signature=values.text(row.get("signature", "")) or signature,
        language=values.language(row.get("langcode", "")),
        slug=_slug(alias, nid),
        topics=tuple(values.many(row.get("tags", ""))),
        old_addresses=old_addresses(row, nid, translation_row="/" in external_id),
        translation_of=translation_of,
    )
