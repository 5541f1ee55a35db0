"""What a planning run changed (or would change): counts, moved tasks and moved dates.

>>> diff = PlanDiff(added=3, unchanged=10)
>>> print(diff.render("en").splitlines()[0])
Added 3 · moved 0 · updated 0 · waived 0 · unchanged 10 · done/closed kept 0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple


class MovedTask(NamedTuple):
    """A task whose due date changed: ``(task key, subject, old due, new due)``."""

    key: str
    subject: str
    old_due: date
    new_due: date


class MovedDate(NamedTuple):
    """A phase or milestone date that changed (``hearing.end``, ``budget_2nd_reading``)."""

    name: str
    old: date
    new: date


@dataclass
class PlanDiff:
    """Counts per outcome plus the moved rows. ``kept`` counts done/waived tasks left alone."""

    added: int = 0
    moved: int = 0
    updated: int = 0
    waived: int = 0
    unchanged: int = 0
    kept: int = 0
    new_cycle: bool = False
    moved_tasks: list[MovedTask] = field(default_factory=list)
    moved_dates: list[MovedDate] = field(default_factory=list)
    added_dates: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the run writes anything at all."""
        counts = self.added or self.moved or self.updated or self.waived
        return bool(self.new_cycle or counts or self.moved_dates or self.added_dates)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added, "moved": self.moved, "updated": self.updated,
            "waived": self.waived, "unchanged": self.unchanged, "kept": self.kept,
            "new_cycle": self.new_cycle,
            "moved_tasks": [
                {"key": m.key, "subject": m.subject, "old_due": m.old_due.isoformat(),
                 "new_due": m.new_due.isoformat()} for m in self.moved_tasks
            ],
            "moved_dates": [
                {"name": m.name, "old": m.old.isoformat(), "new": m.new.isoformat()}
                for m in self.moved_dates
            ],
        }  # fmt: skip

    def render(self, locale: str = "da", limit: int = 25) -> str:
        """A readable summary in Danish (``da``) or English (``en``)."""
        words = _WORDS["en" if locale == "en" else "da"]
        counts = (self.added, self.moved, self.updated, self.waived, self.unchanged, self.kept)
        lines = [" · ".join(f"{w} {n}" for w, n in zip(words["counts"], counts, strict=True))]
        lines[0] = lines[0][0].upper() + lines[0][1:]
        if not self.changed:
            lines.append(words["nothing"])
        for item in self.moved_dates:
            lines.append(f"  {item.name}: {item.old.isoformat()} -> {item.new.isoformat()}")
        for moved in self.moved_tasks[:limit]:
            subject = f" [{moved.subject}]" if moved.subject else ""
            lines.append(
                f"  {moved.key}{subject}: {moved.old_due.isoformat()} -> {moved.new_due.isoformat()}"
            )
        if len(self.moved_tasks) > limit:
            lines.append(f"  … {len(self.moved_tasks) - limit} {words['more']}")
        return "\n".join(lines)


_WORDS: dict[str, dict[str, Any]] = {
    "da": {
        "counts": (
            "tilføjet",
            "flyttet",
            "opdateret",
            "frafaldet",
            "uændret",
            "udført/lukket bevaret",
        ),
        "nothing": "Ingen ændringer.",
        "more": "flere flyttede opgaver",
    },
    "en": {
        "counts": ("added", "moved", "updated", "waived", "unchanged", "done/closed kept"),
        "nothing": "No changes.",
        "more": "more moved tasks",
    },
}
