"""Words the public pages, the receipt and the hvidbog share, in Danish and English.

>>> day_month(date(2027, 4, 15), "da"), day_month(date(2027, 4, 15), "en")
('15. april 2027', '15 April 2027')
"""

from __future__ import annotations

from datetime import date

from aarshjul.notifications.formatting import MONTHS, locale_of

#: A goal's latest status in plain words (*målstatus*), for the public.
STATUS: dict[str, tuple[str, str]] = {
    "on_track": ("På sporet", "On track"),
    "at_risk": ("I risiko for ikke at blive nået", "At risk"),
    "off_track": ("Ikke på sporet", "Off track"),
    "achieved": ("Nået", "Achieved"),
    "abandoned": ("Opgivet", "Abandoned"),
    "not_reported": ("Endnu ingen status", "No status yet"),
}
LEVELS: dict[str, tuple[str, str]] = {
    "vision": ("Vision", "Vision"),
    "goal": ("Mål", "Goal"),
    "service_goal": ("Servicemål", "Service goal"),
    "action": ("Handling", "Action"),
}
#: The administration's recommendation (*indstilling*) on a submission.
RECOMMENDATIONS: dict[str, tuple[str, str]] = {
    "adopt": ("Imødekommes", "Accepted"),
    "partly": ("Imødekommes delvist", "Partly accepted"),
    "reject": ("Imødekommes ikke", "Not accepted"),
    "covered": ("Allerede indeholdt i planen", "Already in the plan"),
    "noted": ("Tages til efterretning", "Noted"),
}
KINDS: dict[str, tuple[str, str]] = {
    "ideas": ("idé", "idea"),
    "hearing": ("høringssvar", "hearing response"),
}


def word(table: dict[str, tuple[str, str]], key: str, locale: str) -> str:
    """``table[key]`` in ``locale`` (Danish unless English); the key itself when unknown."""
    pair = table.get(key)
    if pair is None:
        return key
    return pair[1] if locale_of(locale) == "en" else pair[0]


def day_month(day: date, locale: str) -> str:
    """``15. april 2027`` / ``15 April 2027``."""
    loc = locale_of(locale)
    month = MONTHS[loc][day.month - 1]
    return f"{day.day} {month} {day.year}" if loc == "en" else f"{day.day}. {month} {day.year}"


def closed_message(*, name: str, state: str, start: date, end: date, locale: str) -> str:
    """What the public page and a refused POST say when a phase does not take submissions."""
    if locale_of(locale) == "en":
        if state == "coming":
            return f"{name} opens on {day_month(start, 'en')}. You can submit from that day."
        return f"{name} closed on {day_month(end, 'en')}. Submissions are no longer received."
    if state == "coming":
        return f"{name} åbner {day_month(start, 'da')}. Du kan indsende fra den dag."
    return f"{name} lukkede {day_month(end, 'da')}. Der modtages ikke flere indsendelser."


def no_phase_message(kind: str, locale: str) -> str:
    """No idea phase (or hearing) is planned at all."""
    if locale_of(locale) == "en":
        return "No idea phase is planned at the moment." if kind == "ideas" else "No such hearing."
    return "Der er ingen idéfase planlagt lige nu." if kind == "ideas" else "Høringen findes ikke."
