"""The generated reports' words in Danish (default) and English, and how values are written.

>>> label("goals_ending", "da", year=2027)
'Mål der udløber i 2027'
>>> short_date(date(2027, 5, 3), "da"), number(5.1, "da"), horizon(2026, 2029)
('3. maj 2027', '5,1', '2026\u20132029')
"""

from __future__ import annotations

from datetime import date

from aarshjul.models.base import GoalLevel, GoalStatus
from aarshjul.models.goal_tracking import STATUS_LABELS, ReportStatus
from aarshjul.notifications.formatting import MONTHS, locale_of
from aarshjul.stats.danish_numbers import format_number

EN_DASH = "\u2013"

LABELS: dict[str, tuple[str, str]] = {
    # the planning report
    "planning_title": ("Planredegørelse {year}", "Planning report {year}"),
    "draft_subtitle": ("{org} · udkast dannet {day}", "{org} · draft made on {day}"),
    "planning_footer": (
        "{org} · Planredegørelse {year} · dannet {day} af aarshjul",
        "{org} · Planning report {year} · made on {day} by aarshjul",
    ),
    "contents": ("Indhold", "Contents"),
    "planning_intro": (
        "Planredegørelsen er kommunens årlige gennemgang af helhedsplanen: ny lovgivning og "
        "reformer, regionens og andre kommuners planer, kommunens nye politikker og planer, om "
        "målsætningerne stadig er relevante og bliver brugt, og statistik om boligbyggeri, "
        "ledighed og befolkning. Dokumentet er dannet af aarshjul fra årets data.",
        "The planning report is the municipality's yearly review of its comprehensive plan: new "
        "legislation and reforms, the region's and other municipalities' plans, its own new "
        "policies and plans, whether its goals are still relevant and used, and statistics on "
        "housing construction, unemployment and population. aarshjul made this document from "
        "the year's data.",
    ),
    "inputs_note": (
        "Grundlag: {reported} af {due} mål har en statusrapport for {previous} eller {year}; "
        "{written} af {sections} afsnit er skrevet.",
        "Inputs: {reported} of {due} goals have a status report for {previous} or {year}; "
        "{written} of {sections} sections are written.",
    ),
    "not_written": (
        "Afsnittet er ikke skrevet endnu (planlægning skriver det i årshjulets webapp).",
        "This section is not written yet (planning writes it in the annual cycle's web app).",
    ),
    "written_by": ("Senest ændret {day} af {name}.", "Last changed on {day} by {name}."),
    "relevance": (
        "Målsætningernes relevans og anvendelse",
        "Whether the goals are relevant and used",
    ),
    "status_overview": (
        "{goals} mål gælder i {year}. Seneste status for hvert mål:",
        "{goals} goals apply in {year}. The latest status of each goal:",
    ),
    "goals_ending": ("Mål der udløber i {year}", "Goals ending in {year}"),
    "goals_ending_intro": (
        "Målenes tidshorisont slutter i {year}: de skal fornyes, justeres eller udgå i næste "
        "års helhedsplan.",
        "These goals' horizon ends in {year}: renew, revise or drop them in next year's plan.",
    ),
    "goals_unreported": ("Mål uden statusrapport", "Goals without a status report"),
    "goals_unreported_intro": (
        "Mål, der også gjaldt i {previous}, men som ingen har rapporteret status på for "
        "{previous} eller {year}.",
        "Goals that also applied in {previous} but have no status report for {previous} or {year}.",
    ),
    "none_ending": ("Ingen mål udløber i {year}.", "No goal ends in {year}."),
    "none_unreported": (
        "Alle mål har en statusrapport.",
        "Every goal has a status report.",
    ),
    "areas": ("Politikområderne", "The policy areas"),
    "area_line": (
        "Udvalg: {committee}. Ansvarlig: {owner}.",
        "Committee: {committee}. Owner: {owner}.",
    ),
    "area_no_goals": (
        "Politikområdet har ingen mål i {year}.",
        "The policy area has no goals in {year}.",
    ),
    "statistics": ("Statistik", "Statistics"),
    "statistics_intro": (
        "Nøgletal fra Danmarks Statistik (statistikbanken.dk) for kommunen, de seneste ti år.",
        "Key figures from Statistics Denmark (statistikbanken.dk) for the municipality, the last "
        "ten years.",
    ),
    "no_figures": (
        "Ingen tal for {table} endnu: importér dem med aarshjul stats import.",
        "No figures for {table} yet: import them with aarshjul stats import.",
    ),
    "chart_alt": ("Diagram: {title}. {summary}", "Chart: {title}. {summary}"),
    "addenda": ("Tillæg i {year}", "Addenda in {year}"),
    "addenda_none": ("Ingen tillæg i {year}.", "No addenda in {year}."),
    # table headers
    "goal": ("Mål", "Goal"),
    "horizon": ("Horisont", "Horizon"),
    "status": ("Status", "Status"),
    "comment": ("Kommentar og indikatorer", "Comment and indicators"),
    "policy_area": ("Politikområde", "Policy area"),
    "owner": ("Ansvarlig", "Owner"),
    "latest_status": ("Seneste status", "Latest status"),
    "count": ("Antal mål", "Goals"),
    "series": ("Serie", "Series"),
    "addendum": ("Tillæg", "Addendum"),
    "state": ("Tilstand", "State"),
    "hearing": ("Høring", "Hearing"),
    "adoption": ("Vedtagelse", "Adoption"),
    # values
    "ends_this_year": ("udløber i år", "ends this year"),
    "not_reported": ("ikke rapporteret", "not reported"),
    "from_file": ("{status} (uden rapport)", "{status} (no report)"),
    "new_goal": ("nyt mål i {year}", "new goal in {year}"),
    "older_report": ("{status} (ældre rapport)", "{status} (older report)"),
    "target": ("mål {target}", "target {target}"),
    "state_planned": ("Planlagt, starter {day}", "Planned, starts {day}"),
    "state_running": ("{phase} til {day}", "{phase} until {day}"),
    "state_between": ("Næste: {phase} fra {day}", "Next: {phase} from {day}"),
    "state_done": ("Afsluttet {day}", "Finished {day}"),
    "adopted": ("vedtaget {day}", "adopted {day}"),
    "expected": ("forventet {day}", "expected {day}"),
    # the budget remarks
    "remarks_title": ("Budgetbemærkninger {year}", "Budget remarks {year}"),
    "remarks_footer": (
        "{org} · Budgetbemærkninger {year} · dannet {day} af aarshjul",
        "{org} · Budget remarks {year} · made on {day} by aarshjul",
    ),
    "remarks_intro": (
        "Bemærkningerne genbruger politikområdernes visioner og mål fra helhedsplanen, i "
        "budgettets orden: udvalg for udvalg, politikområde for politikområde. Beløb og "
        "bevillinger kommer fra økonomisystemet.",
        "The remarks reuse each policy area's visions and goals from the comprehensive plan, in "
        "the budget's order: committee by committee, policy area by policy area. Amounts and "
        "appropriations come from the finance system.",
    ),
    "remarks_area_line": (
        "Udvalg: {committee}. Ansvarlig: {owner}.",
        "Committee: {committee}. Owner: {owner}.",
    ),
    "vision": ("Vision", "Vision"),
    "goals_for": ("Mål", "Goals"),
    "service_for": ("Servicemål og handlinger i {year}", "Service goals and actions in {year}"),
    "latest_status_line": ("Seneste status: {statuses}.", "Latest status: {statuses}."),
    "indicator_line": ("Indikatorer: {items}.", "Indicators: {items}."),
}

LEVELS: dict[GoalLevel, tuple[str, str]] = {
    GoalLevel.vision: ("Vision", "Vision"),
    GoalLevel.goal: ("Mål", "Goal"),
    GoalLevel.service_goal: ("Servicemål", "Service goal"),
    GoalLevel.action: ("Handling", "Action"),
}


def label(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in ``lang`` (``da`` unless ``en``), with ``values`` filled in."""
    da, en = LABELS[key]
    return (en if locale_of(lang) == "en" else da).format(**values)


def level_label(level: GoalLevel, lang: str) -> str:
    da, en = LEVELS[level]
    return en if locale_of(lang) == "en" else da


def status_label(status: ReportStatus | str, lang: str) -> str:
    """``på sporet`` / ``on track`` for a reported status."""
    return STATUS_LABELS[ReportStatus(status)][locale_of(lang)]


def file_status_label(status: GoalStatus, lang: str) -> str | None:
    """The organisation file's status as a report status label; None for ``not_reported``."""
    if status == GoalStatus.not_reported:
        return None
    reported = ReportStatus.achieved if status == GoalStatus.done else ReportStatus(status.value)
    return status_label(reported, lang)


def short_date(day: date, lang: str) -> str:
    """``3. maj 2027`` / ``3 May 2027``."""
    loc = locale_of(lang)
    month = MONTHS[loc][day.month - 1]
    return f"{day.day}. {month} {day.year}" if loc == "da" else f"{day.day} {month} {day.year}"


def number(value: float, lang: str) -> str:
    """A reported value with as many decimals as it has (at most two): ``5,1``, ``82``."""
    decimals = next((d for d in range(3) if abs(value * 10**d - round(value * 10**d)) < 1e-9), 2)
    return format_number(value, decimals, locale_of(lang))


def horizon(start: int, end: int) -> str:
    """``2026``, en dash, ``2029``; or ``2027`` for a one-year goal."""
    return str(start) if start == end else f"{start}{EN_DASH}{end}"
