"""What an import did, or would do, item by item."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy


class Outcome(Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


# What became of an item, as the report's lines begin: (done, in a dry run).
OUTCOME = "import outcome"
LABELS = {
    Outcome.CREATED: (
        pgettext_lazy(OUTCOME, "created"),
        pgettext_lazy(OUTCOME, "would create"),
    ),
    Outcome.UPDATED: (
        pgettext_lazy(OUTCOME, "updated"),
        pgettext_lazy(OUTCOME, "would update"),
    ),
    Outcome.UNCHANGED: (
        pgettext_lazy(OUTCOME, "unchanged"),
        pgettext_lazy(OUTCOME, "unchanged"),
    ),
    Outcome.SKIPPED: (
        pgettext_lazy(OUTCOME, "skipped"),
        pgettext_lazy(OUTCOME, "would skip"),
    ),
}


@dataclass(frozen=True)
class Line:
    outcome: Outcome | None  # None: a problem
    item: str  # which item of the source: "post 45", "comment 7"
    text: str


@dataclass
class ImportReport:
    """The items an import read, each with what became of it, and the
    problems met on the way (an item may have a problem and still be
    imported, as when its parent comment is missing)."""

    dry_run: bool = False
    lines: list[Line] = field(default_factory=list)

    def note(self, outcome: Outcome, item: str, text: str) -> None:
        self.lines.append(Line(outcome, item, text))

    def problem(self, item: str, text: str) -> None:
        self.lines.append(Line(None, item, text))

    def count(self, outcome: Outcome | None) -> int:
        return sum(1 for line in self.lines if line.outcome is outcome)

    @property
    def problems(self) -> list[Line]:
        return [line for line in self.lines if line.outcome is None]

    def render_line(self, line: Line) -> str:
        if line.outcome is None:
            label = pgettext(OUTCOME, "problem")
        else:
            label = LABELS[line.outcome][self.dry_run]
        return f"{label}: {line.item}: {line.text}"

    def summary(self) -> str:
        counts = {
            "created": self.count(Outcome.CREATED),
            "updated": self.count(Outcome.UPDATED),
            "unchanged": self.count(Outcome.UNCHANGED),
            "skipped": self.count(Outcome.SKIPPED),
            "problems": len(self.problems),
        }
        if self.dry_run:
            text = _(
                "Dry run, nothing was saved. Would create %(created)d, update "
                "%(updated)d, skip %(skipped)d; %(unchanged)d unchanged; "
                "%(problems)d problems."
            )
        else:
            text = _(
                "Created %(created)d, updated %(updated)d, skipped %(skipped)d; "
                "%(unchanged)d unchanged; %(problems)d problems."
            )
        return text % counts
