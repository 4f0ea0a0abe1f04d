"""Reading the files a Drupal site's views export, JSON or CSV, into rows.

A site owner makes them without code (docs/importing.md): on Drupal
8 and later, a view with a "REST export" display (core's RESTful Web Services
and Serialization modules) gives JSON; on Drupal 7 the Views data export
module gives CSV or JSON. The same field comes out under different names:
its machine name (``nid``), the alias given in the REST export's field
settings, or, in a Drupal 7 CSV, its label ("Content: Nid", "Post date").
And its value comes out raw (``12``, ``1641378600``), rendered as HTML
(``<a href="/node/12">…</a>``, ``Wed, 01/05/2022 - 10:30``), or, when the
REST export shows whole entities, wrapped (``[{"value": 12}]``).

So each row becomes a dict under our own names (``FIELDS``), every value
a string or a list of strings, and a field no row has is a clear error
naming it when it is required.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext as _

from communique.imports.writes import SourceError

Row = dict[str, "str | list[str]"]

# Our name of each field: the names it may come out under (after
# ``_column``: lowercase, "Content: " and "Comment: " cut, runs of other
# characters made "_"). The first is the one the docs ask for.
NODE_FIELDS = {
    "nid": ("nid", "node_id", "id"),
    "title": ("title",),
    "body": ("body", "body_value", "content"),
    "created": ("created", "post_date", "authored_on", "date"),
    "changed": ("changed", "updated_date", "updated"),
    "langcode": ("langcode", "language"),
    "status": ("status", "published", "published_status"),
    "path": ("path", "alias", "url_alias", "path_alias", "view_node", "url"),
    "tags": ("tags", "field_tags", "terms", "term_node_tid", "topics"),
    "tnid": ("tnid", "translation_set_node_id", "translation_set"),
    "translation_source": ("content_translation_source", "translation_source"),
    "default_langcode": ("default_langcode", "default_translation"),
    "signature": ("signature", "field_signature"),
}
NODE_REQUIRED = ("nid", "title")
COMMENT_FIELDS = {
    "cid": ("cid", "comment_id", "id"),
    "nid": ("nid", "entity_id", "node_id", "content_id"),
    "pid": ("pid", "parent_cid", "parent_id", "parent"),
    "name": ("name", "author", "author_name"),
    "mail": ("mail", "email", "author_email", "e_mail", "author_s_e_mail"),
    "homepage": ("homepage", "author_s_website", "authors_website", "website"),
    "hostname": ("hostname", "ip_address", "ip"),
    "created": ("created", "post_date", "date"),
    "status": ("status", "approved", "approved_status"),
    "subject": ("subject", "title"),
    "comment_body": ("comment_body", "comment", "body", "comment_body_value"),
    "langcode": ("langcode", "language"),
}
COMMENT_REQUIRED = ("cid", "nid", "comment_body")
# Keys a serialised entity wraps its values in, in the order looked for.
WRAPPERS = ("value", "target_id", "alias", "langcode")


def _column(name: str) -> str:
    name = re.sub(r"^(content|comment|node|user)\s*:\s*", "", name.strip().lower())
    return re.sub(r"[^a-z0-9]+", "_", name).strip("_")


def _scalar(value: object) -> str:
    if isinstance(value, dict):
        for key in WRAPPERS:
            if key in value:
                return _scalar(value[key])
        return ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _value(value: object) -> str | list[str]:
    if isinstance(value, list):
        values = [_scalar(item) for item in value]
        values = [v for v in values if v != ""]
        return values[0] if len(values) == 1 else values
    return _scalar(value)


def _records_in(data: object) -> list[dict]:
    """The list of rows of a JSON export: a list, or the first list in an
    object (``{"nodes": [...]}``), each row unwrapped from ``{"node": {...}}``."""
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise SourceError(_("the JSON holds no list of rows"))
    return [
        next(iter(r.values()))
        if len(r) == 1 and isinstance(next(iter(r.values())), dict)
        else r
        for r in data
    ]


def _read_json(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceError(_("not valid JSON (%(error)s)") % {"error": error}) from None
    return _records_in(data)


def _read_csv(path: Path) -> tuple[list[dict], list[str]]:
    # A statement's body can pass the csv module's 128 KiB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            return list(reader), list(reader.fieldnames or [])
    except (UnicodeDecodeError, csv.Error) as error:
        raise SourceError(
            _("not a readable CSV file (%(error)s)") % {"error": error}
        ) from None


def _is_json(path: Path) -> bool:
    if path.suffix.lower() in (".json", ".csv"):
        return path.suffix.lower() == ".json"
    with path.open("rb") as file:
        start = file.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return start[:1] in (b"[", b"{")


def _rename(
    records: Iterable[dict], fields: dict[str, tuple[str, ...]]
) -> tuple[list[Row], set[str]]:
    names = {other: ours for ours, others in fields.items() for other in others}
    rows, seen = [], set()
    for record in records:
        row: Row = {}
        for key, value in record.items():
            ours = names.get(_column(str(key or "")))
            if ours is not None and ours not in row:
                row[ours] = _value(value)
                seen.add(ours)
        rows.append(row)
    return rows, seen


def read_rows(
    path: Path, fields: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> list[Row]:
    """The rows of the export at ``path`` under our names of ``fields``."""
    if _is_json(path):
        records, columns = _read_json(path), []
    else:
        records, columns = _read_csv(path)
    rows, seen = _rename([*records, dict.fromkeys(columns, "")], fields)
    rows.pop()  # the columns of a CSV file, known even without rows
    missing = [name for name in required if name not in seen]
    if (records or columns) and missing:
        raise SourceError(
            _("%(path)s has no field %(field)s (named %(names)s in the view)")
            % {
                "path": path.name,
                "field": missing[0],
                "names": ", ".join(fields[missing[0]]),
            }
        )
    return rows
