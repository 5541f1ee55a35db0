"""The planning report (*planredegørelse*) as a document, from :class:`PlanningReportData`.

The order follows the seed's annual review: the planning staff's three sections (legislation
and reforms, regional and neighbouring plans, new policies), whether the goals are relevant and
used (status overview, goals ending this year, goals without a report), every policy area with
its committee, owner and goals (status, comment, indicator values, horizon), the key statistics
with charts, and the year's addenda with their state. Plain function of the data: no database,
no clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from enum import StrEnum

from aarshjul.clock import zone
from aarshjul.documents.model import Document, DocumentBuilder, Image, Inline, Span
from aarshjul.models.goal_tracking import ReportStatus
from aarshjul.reports.planning_data import Addendum, AreaGoals, GoalLine, PlanningReportData
from aarshjul.reports.sections import SECTION_TITLES, SectionKey
from aarshjul.reports.texts import (
    EN_DASH,
    file_status_label,
    horizon,
    label,
    level_label,
    number,
    short_date,
    status_label,
)
from aarshjul.stats.danish_numbers import format_number
from aarshjul.stats.figure_store import TableFigures

FIGURE_YEARS = 5


class ChartMode(StrEnum):
    """How charts go into the document: ``png`` (Word), ``svg`` (HTML and PDF), or ``link``
    (a web page that loads each chart from its own URL)."""

    png = "png"
    svg = "svg"
    link = "link"


#: ``table id -> URL`` of a chart, for :attr:`ChartMode.link`.
ChartLinks = Callable[[str], str]


def planning_document(
    data: PlanningReportData,
    *,
    lang: str = "da",
    charts: ChartMode = ChartMode.png,
    chart_links: ChartLinks | None = None,
) -> Document:
    """The planning report of ``data`` in ``lang`` (``da`` or ``en``)."""
    day = short_date(data.today, lang)
    org = data.organisation_name
    doc = DocumentBuilder(
        label("planning_title", lang, year=data.year), lang=lang,
        subtitle=label("draft_subtitle", lang, org=org, day=day), author=org,
        footer=label("planning_footer", lang, org=org, year=data.year, day=day),
        issued=data.today,
    )  # fmt: skip
    doc.contents(label("contents", lang))
    _introduction(doc, data, lang)
    for key in SectionKey:
        _section(doc, data, key, lang)
    _relevance(doc, data, lang)
    doc.heading(label("areas", lang), anchor="areas")
    for area in data.areas:
        _area(doc, area, data.year, lang)
    _statistics(doc, data, lang, charts, chart_links)
    _addenda(doc, data, lang)
    return doc.build()


def _introduction(doc: DocumentBuilder, data: PlanningReportData, lang: str) -> None:
    inputs = data.inputs
    doc.paragraph(label("planning_intro", lang))
    doc.note(
        label(
            "inputs_note", lang, reported=inputs.goals_reported, due=inputs.goals_due,
            previous=data.year - 1, year=data.year, written=inputs.sections_written,
            sections=inputs.sections_total,
        )
    )  # fmt: skip


def _section(doc: DocumentBuilder, data: PlanningReportData, key: SectionKey, lang: str) -> None:
    doc.heading(SECTION_TITLES[key][lang if lang == "en" else "da"], anchor=f"section-{key.value}")
    version = data.sections.get(key)
    if version is None or not version.written:
        doc.note(label("not_written", lang))
        return
    doc.text(version.body)
    when = short_date(version.written_at.astimezone(zone(data.timezone)).date(), lang)
    doc.note(label("written_by", lang, day=when, name=version.written_by))


def _relevance(doc: DocumentBuilder, data: PlanningReportData, lang: str) -> None:
    doc.heading(label("relevance", lang), anchor="relevance")
    doc.paragraph(label("status_overview", lang, goals=len(data.goals), year=data.year))
    counts = Counter(_status_group(goal, data.year, lang) for _, goal in data.goals)
    doc.table(
        [label("status", lang), label("count", lang)],
        [[text, str(n)] for (_, text), n in sorted(counts.items())], widths=[3, 1],
    )  # fmt: skip
    doc.heading(label("goals_ending", lang, year=data.year), 2)
    ending = data.ending()
    if ending:
        doc.paragraph(label("goals_ending_intro", lang, year=data.year))
        doc.table(
            [label("policy_area", lang), label("goal", lang), label("horizon", lang),
             label("latest_status", lang)],
            [[a.name, _goal_title(g, lang), horizon(g.horizon_start, g.horizon_end),
              _status_text(g, data.year, lang)] for a, g in ending],
            widths=[2, 5, 1.2, 1.8],
        )  # fmt: skip
    else:
        doc.note(label("none_ending", lang, year=data.year))
    doc.heading(label("goals_unreported", lang), 2)
    missing = data.unreported()
    if missing:
        doc.paragraph(label("goals_unreported_intro", lang, previous=data.year - 1, year=data.year))
        doc.table(
            [label("policy_area", lang), label("goal", lang), label("owner", lang),
             label("horizon", lang)],
            [[a.name, _goal_title(g, lang), g.owner_title or g.owner_name,
              horizon(g.horizon_start, g.horizon_end)] for a, g in missing],
            widths=[2, 5, 2, 1.2],
        )  # fmt: skip
    else:
        doc.note(label("none_unreported", lang))


def _status_group(goal: GoalLine, year: int, lang: str) -> tuple[int, str]:
    """The overview's row of a goal: a current report's status (in the statuses' order), an
    older report's, the organisation file's, new this year, or not reported."""
    statuses = list(ReportStatus)
    if goal.report is not None:
        text = status_label(goal.report.status, lang)
        if goal.reported(year):
            return statuses.index(goal.report.status), text
        return 10 + statuses.index(goal.report.status), label("older_report", lang, status=text)
    stated = file_status_label(goal.file_status, lang)
    if stated is not None:
        order = [status_label(s, lang) for s in statuses]
        return 20 + order.index(stated), label("from_file", lang, status=stated)
    if not goal.due_report(year):
        return 30, label("new_goal", lang, year=year)
    return 40, label("not_reported", lang)


def _area(doc: DocumentBuilder, area: AreaGoals, year: int, lang: str) -> None:
    doc.heading(area.name, 2, anchor=f"area-{area.key}")
    owner = area.head_title or area.head_name
    doc.paragraph(label("area_line", lang, committee=area.committee, owner=owner))
    if not area.goals:
        doc.note(label("area_no_goals", lang, year=year))
        return
    doc.table(
        [label("goal", lang), label("horizon", lang), label("status", lang),
         label("comment", lang)],
        [_goal_row(goal, area, year, lang) for goal in area.goals],
        widths=[4.2, 1.3, 1.6, 3.4],
    )  # fmt: skip


def _goal_title(goal: GoalLine, lang: str) -> list[Inline]:
    return [Span(level_label(goal.level, lang) + ": ", bold=True), goal.title]


def _goal_row(goal: GoalLine, area: AreaGoals, year: int, lang: str) -> list[list[Inline]]:
    title = _goal_title(goal, lang)
    if goal.owner_id != area.head_id:
        title.append(f"\n({label('owner', lang)}: {goal.owner_title or goal.owner_name})")
    span: list[Inline] = [horizon(goal.horizon_start, goal.horizon_end)]
    if goal.ends_in(year):
        span.append(Span("\n" + label("ends_this_year", lang), bold=True))
    text = _status_text(goal, year, lang)
    status: list[Inline] = [Span(text, italic=not goal.reported(year))]
    return [title, span, status, [_comment(goal, lang)]]


def _status_text(goal: GoalLine, year: int, lang: str) -> str:
    """``på sporet (2026)``; without a report the organisation file's status, ``nyt mål i 2027``
    for a goal not due a report yet, else ``ikke rapporteret``."""
    if goal.report is not None:
        return f"{status_label(goal.report.status, lang)} ({goal.report.year})"
    stated = file_status_label(goal.file_status, lang)
    if stated is not None:
        return label("from_file", lang, status=stated)
    if not goal.due_report(year):
        return label("new_goal", lang, year=year)
    return label("not_reported", lang)


def _comment(goal: GoalLine, lang: str) -> str:
    if goal.report is None:
        return ""
    lines = [goal.report.comment] if goal.report.comment else []
    for value in goal.report.indicators:
        unit = f" {value.unit}" if value.unit else ""
        text = f"{value.name}: {number(value.value, lang)}{unit}"
        if value.target is not None:
            text += f" ({label('target', lang, target=number(value.target, lang) + unit)})"
        lines.append(text)
    return "\n".join(lines)


def _statistics(
    doc: DocumentBuilder,
    data: PlanningReportData,
    lang: str,
    charts: ChartMode,
    chart_links: ChartLinks | None,
) -> None:
    doc.heading(label("statistics", lang), anchor="statistik")
    doc.paragraph(label("statistics_intro", lang))
    for figures in data.statistics:
        mapping = figures.mapping
        doc.heading(mapping.chart.title.get(lang), 2, anchor=f"chart-{mapping.table.lower()}")
        years = _years_with_figures(figures, data.year)
        if not years:
            doc.note(label("no_figures", lang, table=mapping.table))
            continue
        doc.image(_chart(figures, data.year, lang, charts, chart_links))
        doc.table(
            [label("series", lang), *(_year_head(figures, y) for y in years[-FIGURE_YEARS:])],
            _figure_rows(figures, years[-FIGURE_YEARS:], lang),
            widths=[3] + [1] * len(years[-FIGURE_YEARS:]),
            caption=f"{mapping.title.get(lang)} ({mapping.unit.get(lang)}). "
            f"Danmarks Statistik, {mapping.table}.",
        )  # fmt: skip


def _years_with_figures(figures: TableFigures, year: int) -> list[int]:
    return sorted(
        {y.year for s in figures.series.values() for y in s.years if y.value is not None}
        & set(range(year - 30, year + 1))
    )


def _year_head(figures: TableFigures, year: int) -> str:
    main = figures.series[figures.mapping.chart.series].year(year)
    return f"{year}" + ("" if main is None or main.complete else "*")


def _figure_rows(figures: TableFigures, years: list[int], lang: str) -> list[list[str]]:
    mapping = figures.mapping
    rows = []
    for key, series in figures.series.items():
        values = [series.year(y) for y in years]
        cells = [
            format_number(v.value, mapping.decimals, lang) if v and v.value is not None else EN_DASH
            for v in values
        ]
        rows.append([mapping.series[key].label.get(lang), *cells])
    return rows


def _chart(
    figures: TableFigures,
    year: int,
    lang: str,
    charts: ChartMode,
    chart_links: ChartLinks | None,
) -> Image:
    from aarshjul.stats.stat_charts import chart_png, chart_svg

    mapping = figures.mapping
    alt = label(
        "chart_alt", lang, title=mapping.chart.title.get(lang), summary=_summary(figures, lang)
    )
    if charts is ChartMode.link:
        if chart_links is None:
            raise ValueError("ChartMode.link needs chart_links")
        return Image(alt=alt, src=chart_links(mapping.table), width_cm=16.0)
    if charts is ChartMode.svg:
        return Image(alt=alt, svg=chart_svg(figures, year=None, lang=lang), width_cm=16.0)
    return Image(alt=alt, png=chart_png(figures, year=None, lang=lang), width_cm=16.0)


def _summary(figures: TableFigures, lang: str) -> str:
    series = figures.series[figures.mapping.chart.series]
    known = [y for y in series.years if y.value is not None]
    if not known:
        return ""
    last = known[-1]
    assert last.value is not None
    value = format_number(last.value, figures.mapping.decimals, lang)
    return f"{last.year}: {value} {figures.mapping.unit.get(lang)}"


def _addenda(doc: DocumentBuilder, data: PlanningReportData, lang: str) -> None:
    doc.heading(label("addenda", lang, year=data.year), anchor="addenda")
    if not data.addenda:
        doc.note(label("addenda_none", lang, year=data.year))
        return
    doc.table(
        [label("addendum", lang), label("state", lang), label("hearing", lang),
         label("adoption", lang)],
        [[a.title, addendum_state(a, data.today, lang), _hearing(a, lang), _adoption(a, data, lang)]
         for a in data.addenda],
        widths=[3.5, 2.5, 2.2, 1.8],
    )  # fmt: skip


def addendum_state(addendum: Addendum, today: date, lang: str) -> str:
    """Where an addendum stands on ``today``: the phase it is in (and until when), planned,
    between phases, or finished."""
    phases = addendum.phases
    if not phases:
        return ""
    running = [p for p in phases if p.start <= today <= p.end]
    if running:
        return "; ".join(
            label("state_running", lang, phase=p.name(lang), day=short_date(p.end, lang))
            for p in running
        )
    if today < phases[0].start:
        return label("state_planned", lang, day=short_date(phases[0].start, lang))
    upcoming = [p for p in phases if p.start > today]
    if upcoming:
        nxt = upcoming[0]
        return label("state_between", lang, phase=nxt.name(lang), day=short_date(nxt.start, lang))
    last = max(p.end for p in phases)
    return label("state_done", lang, day=short_date(last, lang))


def _hearing(addendum: Addendum, lang: str) -> str:
    hearing = addendum.phase("hearing")
    if hearing is None:
        return ""
    return f"{short_date(hearing.start, lang)} {EN_DASH} {short_date(hearing.end, lang)}"


def _adoption(addendum: Addendum, data: PlanningReportData, lang: str) -> str:
    adoption = addendum.adoption()
    if adoption is None:
        return ""
    key = "adopted" if adoption.start <= data.today else "expected"
    return label(key, lang, day=short_date(adoption.start, lang))
