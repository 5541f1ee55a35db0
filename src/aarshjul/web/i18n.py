"""The web app's texts in Danish (default) and English, and how a request's language is chosen.

The signed-in person's locale decides; a page about one person (a sign-in or action link) uses
theirs; otherwise the browser's first ``Accept-Language`` tag if it is English, else Danish.
"""

from __future__ import annotations

from aarshjul.notifications.formatting import locale_of

TEXTS: dict[str, tuple[str, str]] = {
    "app": ("Årshjulet", "Annual cycle"),
    "my_tasks": ("Mine opgaver", "My tasks"),
    "tasks_of": ("Opgaver", "Tasks"),
    "goals": ("Målopfølgning", "Goal follow-up"),
    "calendar": ("Kalender", "Calendar"),
    "coming_soon": ("kommer snart", "coming soon"),
    "sign_in": ("Log ind", "Sign in"),
    "sign_out": ("Log ud", "Sign out"),
    "sign_out_everywhere": ("Log ud alle steder", "Sign out everywhere"),
    "signed_out_everywhere": (
        "Du er logget ud på alle enheder.", "You are signed out on every device.",
    ),
    "signed_in_as": ("Logget ind som", "Signed in as"),
    "preview": (
        "Visning som den {day}, ikke i dag (AARSHJUL_TODAY).",
        "Shown as on {day}, not today (AARSHJUL_TODAY).",
    ),
    "email": ("E-mailadresse", "E-mail address"),
    "send_link": ("Send mig et login-link", "E-mail me a sign-in link"),
    "login_intro": (
        "Skriv din arbejdsmail, så sender vi dig et link, der logger dig ind.",
        "Enter your work e-mail and we will send you a link that signs you in.",
    ),
    "or": ("eller", "or"),
    "sign_in_with": ("Log ind med {name}", "Sign in with {name}"),
    "link_sent_title": ("Tjek din mail", "Check your e-mail"),
    "link_sent": (
        "Hvis {email} hører til en person i årshjulet, har vi sendt et login-link dertil. "
        "Linket virker én gang og i {minutes} minutter.",
        "If {email} belongs to a person in the annual cycle, a sign-in link is on its way. "
        "It works once and for {minutes} minutes.",
    ),
    "confirm_sign_in_title": ("Log ind på årshjulet", "Sign in to the annual cycle"),
    "confirm_sign_in": (
        "Tryk på knappen for at logge ind som {name}.",
        "Press the button to sign in as {name}.",
    ),
    "link_expired": (
        "Linket er udløbet. Bed om et nyt login-link.",
        "The link has expired. Ask for a new sign-in link.",
    ),
    "link_used": (
        "Linket er allerede brugt. Bed om et nyt login-link.",
        "The link has already been used. Ask for a new sign-in link.",
    ),
    "link_unknown": (
        "Linket kendes ikke. Bed om et nyt login-link.",
        "The link is not known. Ask for a new sign-in link.",
    ),
    "link_problem": ("Linket virker ikke", "The link does not work"),
    "new_link": ("Bed om et nyt link", "Ask for a new link"),
    "too_many": (
        "For mange forsøg. Prøv igen om et kvarter.",
        "Too many attempts. Try again in a quarter of an hour.",
    ),
    "oidc_refused": (
        "Din konto hos {name} har ingen e-mailadresse, som årshjulet kender.",
        "Your {name} account has no e-mail address that the annual cycle knows.",
    ),
    "overdue": ("Over fristen", "Overdue"),
    "this_week": ("Frist i denne uge", "Due this week"),
    "coming_up": ("Kommende", "Coming up"),
    "done_recently": ("Udført for nylig", "Done recently"),
    "nothing": ("Ingen opgaver her.", "No tasks here."),
    "due": ("Frist", "Due"),
    "in_workdays": ("om {n}", "in {n}"),
    "workdays_late": ("{n} over fristen", "{n} overdue"),
    "due_today": ("i dag", "today"),
    "phase": ("Fase", "Phase"),
    "goal": ("Mål", "Goal"),
    "owner": ("Ansvarlig", "Owner"),
    "note": ("Bemærkning (valgfri)", "Note (optional)"),
    "mark_done": ("Markér som udført", "Mark as done"),
    "done_by": ("Udført {when} af {who}", "Done {when} by {who}"),
    "undo": ("Fortryd", "Undo"),
    "open_task": ("Åbn opgaven", "Open the task"),
    "history": ("Historik", "History"),
    "no_history": ("Ingen ændringer endnu.", "No changes yet."),
    "reassign": ("Overdrag til", "Reassign to"),
    "reassign_button": ("Overdrag", "Reassign"),
    "filter": ("Vis", "Show"),
    "person": ("Person", "Person"),
    "committee": ("Udvalg", "Committee"),
    "policy_area": ("Politikområde", "Policy area"),
    "everyone": ("(mine egne)", "(my own)"),
    "any": ("(alle)", "(all)"),
    "engine": ("motoren", "the engine"),
    "kind_status": ("Status", "Status"),
    "kind_reassign": ("Overdraget", "Reassigned"),
    "kind_planned": ("Planlagt", "Planned"),
    "kind_moved": ("Flyttet", "Moved"),
    "action_title": ("Markér opgaven som udført", "Mark the task as done"),
    "action_intro": (
        "Du er ved at markere denne opgave som udført som {name}.",
        "You are about to mark this task as done as {name}.",
    ),
    "action_done": ("Opgaven er markeret som udført.", "The task is marked as done."),
    "action_already": ("Opgaven er allerede udført.", "The task is already done."),
    "action_invalid": (
        "Linket er ikke gyldigt for denne opgave.",
        "The link is not valid for this task.",
    ),
    "action_not_owner": (
        "Opgaven er ikke længere din, så linket virker ikke.",
        "The task is no longer yours, so the link does not work.",
    ),
    "see_all": (
        "Log ind for at se alle dine opgaver.", "Sign in to see all your tasks.",
    ),
    "forbidden": ("Ingen adgang", "Forbidden"),
    "forbidden_text": (
        "Du har ikke adgang til denne side.", "You do not have access to this page.",
    ),
    "not_found": ("Ikke fundet", "Not found"),
    "bad_request": ("Forkert forespørgsel", "Bad request"),
    "csrf": (
        "Formularen var for gammel eller kom fra en anden side. Prøv igen.",
        "The form was stale or came from another site. Please try again.",
    ),
    "unavailable": ("Databasen svarer ikke", "The database does not answer"),
    "back": ("Tilbage til mine opgaver", "Back to my tasks"),
    # the planning report's pages (web/planning_report.py)
    "planning_report": ("Planredegørelse", "Planning report"),
    "planning_report_year": ("Planredegørelse {year}", "Planning report {year}"),
    "budget_remarks_year": ("Budgetbemærkninger {year}", "Budget remarks {year}"),
    "report_downloads": ("Hent udkastet", "Download the draft"),
    "report_sections": ("Afsnit, som planlægning skriver", "Sections written by planning"),
    "section_written": ("skrevet {day} af {name}", "written {day} by {name}"),
    "section_not_written": ("ikke skrevet endnu", "not written yet"),
    "edit": ("Redigér", "Edit"),
    "save": ("Gem", "Save"),
    "section_text": ("Tekst", "Text"),
    "section_hint": (
        "En tom linje starter et nyt afsnit; linjer, der begynder med »- «, bliver punkter. "
        "Hver gemt udgave bevares i historikken.",
        "A blank line starts a new paragraph; lines starting with \"- \" become bullets. Every "
        "saved version is kept in the history.",
    ),
    "section_conflict": (
        "{name} gemte afsnittet {day} kl. {time}, efter du åbnede det. Din tekst er ikke gemt: "
        "se deres tekst herunder, ret din, og gem igen.",
        "{name} saved this section on {day} at {time}, after you opened it. Your text is not "
        "saved: see their text below, revise yours and save again.",
    ),
    "their_text": ("Den gemte tekst", "The saved text"),
    "your_text": ("Din tekst (ikke gemt)", "Your text (not saved)"),
    "back_to_report": ("Tilbage til planredegørelse {year}", "Back to the planning report {year}"),
    "characters": ("{n} tegn", "{n} characters"),
    "current_version": ("gældende", "current"),
}  # fmt: skip


def text(key: str, locale: str, **values: object) -> str:
    """The text ``key`` in ``locale`` (``da`` unless ``en``), formatted with ``values``."""
    da, en = TEXTS[key]
    template = en if locale_of(locale) == "en" else da
    return template.format(**values) if values else template


def add_texts(texts: dict[str, tuple[str, str]]) -> None:
    """Add a page module's own texts; a key another module already gave another text is an
    error (two pages must not share a key by accident)."""
    clash = sorted(k for k, v in texts.items() if TEXTS.get(k, v) != v)
    if clash:
        raise ValueError(f"web texts defined twice: {', '.join(clash)}")
    TEXTS.update(texts)


def browser_locale(accept_language: str | None) -> str:
    """``en`` when the browser's first language is English, else ``da``.

    >>> browser_locale("en-GB,en;q=0.9"), browser_locale("da,en;q=0.5"), browser_locale(None)
    ('en', 'da', 'da')
    """
    first = (accept_language or "").split(",")[0].split(";")[0].strip()
    return locale_of(first) if first else "da"
