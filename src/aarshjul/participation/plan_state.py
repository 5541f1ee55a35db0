"""The plan's state (*Forslag*, *I høring* until a date, *Vedtaget* on a date) and its addenda.

Every public hearing (``public: hearing``) carries a proposal: the year's addendum in the
annual cycle, each *tillæg* process, the planning strategy. Its state follows the cycle's dates:

* ``proposal`` before the hearing starts (*Forslag*);
* ``hearing`` from the hearing's first to its last day (*I høring til …*);
* ``awaiting`` after the hearing until the adoption milestone (*Afventer vedtagelse*);
* ``adopted`` from the adoption milestone's day (*Vedtaget …*).

The plan is ``adopted`` on the most recent adoption that has happened, else ``hearing`` while a
hearing runs, else ``proposal``. Dates are the planned ones: a council that postpones an
adoption is re-planned (``aarshjul plan --set``), and the public page follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from aarshjul.participation.public_phases import PublicPhase
from aarshjul.participation.texts import day_month

AddendumState = Literal["proposal", "hearing", "awaiting", "adopted"]


@dataclass(frozen=True)
class Addendum:
    """A proposal that goes to public hearing (*tillæg*), seen on a day."""

    key: str
    phase_id: int
    title_da: str
    title_en: str
    state: AddendumState
    hearing_start: date
    hearing_end: date
    adoption: date | None

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_da

    def state_text(self, locale: str) -> str:
        """``I høring til 12. maj 2027`` and the like."""
        en = locale == "en"
        if self.state == "adopted" and self.adoption is not None:
            return ("Adopted " if en else "Vedtaget ") + day_month(self.adoption, locale)
        if self.state == "hearing":
            return ("In hearing until " if en else "I høring til ") + day_month(
                self.hearing_end, locale
            )
        if self.state == "awaiting":
            return "Awaiting adoption" if en else "Afventer endelig vedtagelse"
        return (
            f"Proposal, hearing from {day_month(self.hearing_start, locale)}"
            if en
            else f"Forslag, i høring fra {day_month(self.hearing_start, locale)}"
        )


@dataclass(frozen=True)
class PlanState:
    """The whole plan's state on a day, with the date that goes with it."""

    state: Literal["proposal", "hearing", "adopted"]
    day: date | None

    def text(self, locale: str) -> str:
        en = locale == "en"
        if self.state == "adopted" and self.day is not None:
            return ("Adopted " if en else "Vedtaget ") + day_month(self.day, locale)
        if self.state == "hearing" and self.day is not None:
            return ("In hearing until " if en else "I høring til ") + day_month(self.day, locale)
        return "Proposal" if en else "Forslag"


def addenda(phases: list[PublicPhase], today: date) -> list[Addendum]:
    """The proposals carried by the public hearings among ``phases``, newest hearing first."""
    hearings = [p for p in phases if p.kind == "hearing"]
    return [
        Addendum(
            key=p.key,
            phase_id=p.phase_id,
            title_da=_title(p, "da"),
            title_en=_title(p, "en"),
            state=_state(p, today),
            hearing_start=p.start,
            hearing_end=p.end,
            adoption=p.adoption,
        )
        for p in sorted(hearings, key=lambda p: (p.start, p.key), reverse=True)
    ]


def plan_state(items: list[Addendum], today: date) -> PlanState:
    adopted = [a.adoption for a in items if a.state == "adopted" and a.adoption is not None]
    if adopted:
        return PlanState("adopted", max(adopted))
    running = [a.hearing_end for a in items if a.state == "hearing"]
    if running:
        return PlanState("hearing", max(running))
    return PlanState("proposal", None)


def _title(phase: PublicPhase, locale: str) -> str:
    if not phase.annual and phase.cycle_title:
        return phase.cycle_title
    return f"{phase.name(locale)} {phase.cycle_year}"


def _state(phase: PublicPhase, today: date) -> AddendumState:
    if phase.adoption is not None and phase.adoption <= today:
        return "adopted"
    if today < phase.start:
        return "proposal"
    return "hearing" if today <= phase.end else "awaiting"
