"""The wheel's words in Danish and English: months, statuses, rings, dates and the legend.

>>> short_date(date(2027, 10, 14), "da"), short_date(date(2027, 10, 14), "en")
('14. okt', '14 Oct')
"""

from __future__ import annotations

from datetime import date

from aarshjul.engine.progress_status import ProgressStatus
from aarshjul.wheel.wheel_data import Ring

DASH = "\N{EN DASH}"

MONTHS = {
    "da": ("Januar", "Februar", "Marts", "April", "Maj", "Juni", "Juli", "August",
           "September", "Oktober", "November", "December"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip
SHORT_MONTHS = {
    "da": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
STATUS = {
    "da": {
        ProgressStatus.done: "Færdig",
        ProgressStatus.on_track: "Følger planen",
        ProgressStatus.at_risk: "I risiko",
        ProgressStatus.late: "Forsinket",
        ProgressStatus.not_started: "Ikke startet",
    },
    "en": {
        ProgressStatus.done: "Done",
        ProgressStatus.on_track: "On track",
        ProgressStatus.at_risk: "At risk",
        ProgressStatus.late: "Late",
        ProgressStatus.not_started: "Not started",
    },
}
RINGS = {
    "da": {
        Ring.citizens: "Borgere",
        Ring.political: "Politik",
        Ring.budget: "Budget",
        Ring.administration: "Administration",
    },
    "en": {
        Ring.citizens: "Citizens",
        Ring.political: "Politics",
        Ring.budget: "Budget",
        Ring.administration: "Administration",
    },
}
WORDS = {
    "da": {
        "wheel": "Årshjul",
        "today": "I dag",
        "week": "uge",
        "tasks_done": "{done}/{total} opgaver færdige",
        "done_share": "{done}/{total} færdige",
        "overdue": "{n} forsinket",
        "overdue_many": "{n} forsinkede",
        "owner": "Ansvarlig: {name}",
        "statutory": "lovbestemt",
        "milestone": "Milepæl",
        "statutory_milestone": "Lovbestemt frist (§)",
        "meetings": "Møder",
        "closed": "Lukkedag",
        "weekend": "Weekend",
        "status_at": "Status pr. {day}",
        "phases": "faser",
        "milestones": "milepæle",
        "rings": "Ringe udefra og ind",
        "public": "Offentlig udgave",
        "desc": (
            "Årshjulet for {title} som en cirkel, der begynder øverst med {first} og går med uret. "
            "Yderst ugenumre og måneder, så lukkedage og milepæle, inderst ringene {rings}."
        ),
    },
    "en": {
        "wheel": "Annual wheel",
        "today": "Today",
        "week": "wk",
        "tasks_done": "{done}/{total} tasks done",
        "done_share": "{done}/{total} done",
        "overdue": "{n} overdue",
        "overdue_many": "{n} overdue",
        "owner": "Owner: {name}",
        "statutory": "statutory",
        "milestone": "Milestone",
        "statutory_milestone": "Statutory deadline (§)",
        "meetings": "Meetings",
        "closed": "Closed day",
        "weekend": "Weekend",
        "status_at": "Status as of {day}",
        "phases": "phases",
        "milestones": "milestones",
        "rings": "Rings from the outside in",
        "public": "Public edition",
        "desc": (
            "The annual wheel of {title} as a circle that starts at the top with {first} and runs "
            "clockwise. Outermost week numbers and months, then closed days and milestones, "
            "innermost the rings {rings}."
        ),
    },
}


def word(key: str, locale: str, **values: object) -> str:
    """One of :data:`WORDS` in ``locale``, formatted with ``values``."""
    return WORDS[locale][key].format(**values)


def short_date(day: date, locale: str) -> str:
    """``14. okt`` (da) or ``14 Oct`` (en)."""
    month = SHORT_MONTHS[locale][day.month - 1]
    return f"{day.day}. {month}" if locale == "da" else f"{day.day} {month}"


def long_date(day: date, locale: str) -> str:
    """``14. oktober 2027`` (da) or ``14 October 2027`` (en)."""
    month = MONTHS[locale][day.month - 1]
    if locale == "da":
        return f"{day.day}. {month.lower()} {day.year}"
    return f"{day.day} {month} {day.year}"


def date_range(start: date, end: date, locale: str) -> str:
    """``3. maj - 25. jun`` with an en dash (:data:`DASH`) between two short dates."""
    if start == end:
        return short_date(start, locale)
    return f"{short_date(start, locale)} {DASH} {short_date(end, locale)}"
