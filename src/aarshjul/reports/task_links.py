"""Which template tasks lead to a generated document, and where (*link fra opgaven*).

The ``helhedsplan`` template's planning report tasks: the draft (``report_draft``, "Udkast til
planredegørelse") links to the year's report page, where the draft is read and downloaded; the
three sections the planning staff write link to their editor; the statistics task to the
report's statistics. The year is the annual cycle's year (the year the report is written).
"""

from __future__ import annotations

from dataclasses import dataclass

from aarshjul.reports.sections import SECTION_TASKS, SECTION_TITLES


@dataclass(frozen=True)
class DocumentLink:
    """A link from a task's page to the document it produces."""

    href: str
    text_da: str
    text_en: str

    def text(self, locale: str) -> str:
        return self.text_en if locale == "en" else self.text_da


def report_path(year: int) -> str:
    """The web app's page of ``year``'s planning report."""
    return f"/planning-report/{year}"


def document_link(task_key: str, cycle_year: int, *, annual: bool = True) -> DocumentLink | None:
    """The document link of a task with template key ``task_key`` in the cycle of ``cycle_year``.

    >>> document_link("report_draft", 2027).href
    '/planning-report/2027'
    >>> document_link("goal_status", 2027) is None
    True
    """
    if not annual:
        return None
    page = report_path(cycle_year)
    if task_key == "report_draft":
        return DocumentLink(
            page,
            f"Åbn udkastet til planredegørelse {cycle_year} (Word, PDF)",
            f"Open the draft planning report {cycle_year} (Word, PDF)",
        )
    if task_key in SECTION_TASKS:
        key = SECTION_TASKS[task_key]
        titles = SECTION_TITLES[key]
        return DocumentLink(
            f"{page}/sections/{key.value}",
            f"Skriv afsnittet «{titles['da']}» i planredegørelse {cycle_year}",
            f"Write the section “{titles['en']}” of the planning report {cycle_year}",
        )
    if task_key == "report_statistics":
        return DocumentLink(
            f"{page}#statistik",
            f"Se statistikken i udkastet til planredegørelse {cycle_year}",
            f"See the statistics in the draft planning report {cycle_year}",
        )
    return None
