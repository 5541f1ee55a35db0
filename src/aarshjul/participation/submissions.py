"""Receiving ideas and hearing responses from the public (*indsendelser*).

:func:`receive_submission` is the one service the public form calls. In order, it refuses a
phase that is not open (:class:`~aarshjul.errors.StateConflict`, with the day it opens or
closed), a filled honeypot field, a client over its rate limit
(:class:`~aarshjul.errors.RateLimited`); gives back the same receipt for a form sent twice
(its one-time ``form_key``); checks every field at once (:class:`FormProblems`); then writes
the submission, its PDF, an audit row and the receipt mail (an outbox row of kind
``submission_receipt`` to the submitter's address) in the caller's transaction, so either all
of it is there or nothing is.

Routing (*fordeling*): to the goal's owner, else the policy area's head, else the phase's owner
(planning); ``planning`` can route it again (:mod:`~aarshjul.participation.answers`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, select

from aarshjul.access import rate_limit
from aarshjul.config import Settings
from aarshjul.errors import InputError, RateLimited, StateConflict
from aarshjul.models import (
    Goal,
    Organisation,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    PolicyArea,
    Submission,
    SubmissionAttachment,
    SubmissionEvent,
)
from aarshjul.notifications.formatting import locale_of
from aarshjul.notifications.rendering import render
from aarshjul.participation.attachments import Attachment, check_pdf
from aarshjul.participation.public_phases import PublicPhase
from aarshjul.participation.texts import KINDS, closed_message, day_month, word

#: Submissions from one client (IP address as the proxy reports it): ten an hour.
CLIENT_LIMIT = rate_limit.Limit("submit_client", 10, timedelta(hours=1))
#: Submissions for one e-mail address: ten an hour.
ADDRESS_LIMIT = rate_limit.Limit("submit_address", 10, timedelta(hours=1))
MAX_BODY = 20_000
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud on the phone


@dataclass(frozen=True)
class SubmissionForm:
    """The public form's fields as sent (nothing checked yet)."""

    name: str
    email: str
    body: str
    form_key: str
    association: str = ""
    concerns: str = ""
    publish_name: bool = False
    honeypot: str = ""
    attachment_name: str = ""
    attachment: bytes | None = None
    locale: str = "da"


@dataclass(frozen=True)
class Receipt:
    """What the submitter is told: the reference number, and whether this POST added it."""

    reference: str
    submission_id: int
    message_id: int | None
    email: str
    new: bool


class FormProblems(InputError):
    """The form's fields that are wrong: ``fields`` maps a field's name to the reason."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))


@dataclass
class _Checked:
    name: str
    email: str
    association: str
    body: str
    area_id: int | None
    goal_id: int | None
    owner_id: int | None
    attachment: Attachment | None
    problems: dict[str, str] = field(default_factory=dict)


def receive_submission(
    session: Session,
    *,
    organisation: Organisation,
    phase: PublicPhase,
    form: SubmissionForm,
    client: str,
    today: date,
    now: datetime,
    settings: Settings,
) -> Receipt:
    """Check and store one submission with its receipt mail; see the module for the order."""
    loc = locale_of(form.locale)
    require_open(phase, today, loc)
    if form.honeypot.strip():
        raise InputError(_honeypot_text(loc))
    form_key = hashlib.sha256(f"form:{form.form_key}".encode()).hexdigest()
    existing = _by_form_key(session, organisation.id or 0, form_key)
    if existing is not None:
        return _receipt(existing, new=False)
    if not rate_limit.allow(session, limit=CLIENT_LIMIT, key=client or "-", now=now):
        raise RateLimited(_too_many_text(loc))
    checked = _check(session, organisation, phase, form, settings, loc)
    if checked.problems:
        raise FormProblems(checked.problems)
    if not rate_limit.allow(session, limit=ADDRESS_LIMIT, key=checked.email, now=now):
        raise RateLimited(_too_many_text(loc))
    return _store(session, organisation, phase, form, form_key, checked, now)


def require_open(phase: PublicPhase, today: date, locale: str) -> None:
    """:class:`StateConflict` with the clear message when ``phase`` does not take submissions."""
    state = phase.state(today)
    if state != "open":
        raise StateConflict(
            closed_message(
                name=phase.name(locale),
                state=state,
                start=phase.start,
                end=phase.end,
                locale=locale,
            )
        )


def _by_form_key(session: Session, org_id: int, form_key: str) -> Submission | None:
    return session.exec(
        select(Submission).where(
            Submission.organisation_id == org_id, Submission.form_key == form_key
        )
    ).first()


def _receipt(row: Submission, *, new: bool) -> Receipt:
    return Receipt(
        reference=row.reference, submission_id=row.id or 0,
        message_id=row.receipt_message_id, email=row.email, new=new,
    )  # fmt: skip


# -- checking -----------------------------------------------------------------------------------


def _check(
    session: Session,
    organisation: Organisation,
    phase: PublicPhase,
    form: SubmissionForm,
    settings: Settings,
    loc: str,
) -> _Checked:
    en = loc == "en"
    checked = _Checked(
        name=" ".join(form.name.split()), email=form.email.strip(),
        association=" ".join(form.association.split()), body=form.body.strip(),
        area_id=None, goal_id=None, owner_id=phase.owner_id, attachment=None,
    )  # fmt: skip
    problems = checked.problems
    if not checked.name or len(checked.name) > 200:
        problems["name"] = "Write your name (at most 200 characters)." if en else (
            "Skriv dit navn (højst 200 tegn)."
        )  # fmt: skip
    checked.email = _email(checked.email, problems, en)
    if len(checked.association) > 200:
        problems["association"] = "At most 200 characters." if en else "Højst 200 tegn."
    if not checked.body or len(checked.body) > MAX_BODY:
        problems["body"] = (
            f"Write your {word(KINDS, phase.kind, 'en')} (at most {MAX_BODY:,} characters)."
            if en
            else f"Skriv dit {word(KINDS, phase.kind, 'da')} (højst {MAX_BODY:,} tegn).".replace(
                ",", "."
            )
        )
    _concerns(session, organisation, form.concerns, checked, en)
    if form.attachment:
        try:
            checked.attachment = check_pdf(
                form.attachment_name, form.attachment,
                max_bytes=settings.attachment_max_mb * 1024 * 1024,
            )  # fmt: skip
        except InputError as exc:
            problems["attachment"] = _attachment_text(str(exc), settings, en)
    return checked


def _email(value: str, problems: dict[str, str], en: bool) -> str:
    try:
        if len(value) > 254:
            raise EmailNotValidError("too long")
        return str(validate_email(value, check_deliverability=False).normalized)
    except EmailNotValidError:
        problems["email"] = (
            "Write a valid e-mail address: the receipt goes there."
            if en
            else "Skriv en gyldig e-mailadresse: kvitteringen sendes dertil."
        )
        return value


def _concerns(
    session: Session, organisation: Organisation, value: str, checked: _Checked, en: bool
) -> None:
    """``area:KEY`` or ``goal:KEY`` (or nothing): what the submission is about, and its owner."""
    kind, _, key = value.partition(":")
    if not value:
        return
    if kind == "goal":
        goal = session.exec(
            select(Goal).where(Goal.organisation_id == organisation.id, Goal.key == key)
        ).first()
        if goal is not None:
            checked.goal_id, checked.area_id = goal.id, goal.policy_area_id
            checked.owner_id = goal.owner_id
            return
    if kind == "area":
        area = session.exec(
            select(PolicyArea).where(
                PolicyArea.organisation_id == organisation.id, PolicyArea.key == key
            )
        ).first()
        if area is not None:
            checked.area_id, checked.owner_id = area.id, area.head_id
            return
    checked.problems["concerns"] = (
        "Choose a policy area or goal from the list." if en else (
            "Vælg et politikområde eller mål på listen."
        )
    )  # fmt: skip


def _attachment_text(reason: str, settings: Settings, en: bool) -> str:
    if "larger" in reason:
        mb = settings.attachment_max_mb
        return f"The file is larger than {mb} MB." if en else f"Filen er større end {mb} MB."
    return "The file is not a PDF file." if en else "Filen er ikke en PDF-fil."


def _honeypot_text(loc: str) -> str:
    if loc == "en":
        return "The form could not be received. Leave the hidden field empty and try again."
    return "Formularen kunne ikke modtages. Lad det skjulte felt være tomt, og prøv igen."


def _too_many_text(loc: str) -> str:
    if loc == "en":
        return "Too many submissions from here in the last hour. Please try again later."
    return "For mange indsendelser herfra den seneste time. Prøv igen senere."


# -- storing ------------------------------------------------------------------------------------


def _store(
    session: Session,
    organisation: Organisation,
    phase: PublicPhase,
    form: SubmissionForm,
    form_key: str,
    checked: _Checked,
    now: datetime,
) -> Receipt:
    org_id = organisation.id or 0
    row = Submission(
        organisation_id=org_id, phase_id=phase.phase_id,
        reference=_new_reference(session, org_id, phase, now), form_key=form_key,
        name=checked.name, email=checked.email, association=checked.association,
        body=checked.body, publish_name=form.publish_name, locale=locale_of(form.locale),
        policy_area_id=checked.area_id, goal_id=checked.goal_id, owner_id=checked.owner_id,
        routed_at=now, created_at=now,
    )  # fmt: skip
    session.add(row)
    session.flush()
    if checked.attachment is not None:
        a = checked.attachment
        session.add(
            SubmissionAttachment(
                submission_id=row.id or 0,
                filename=a.filename,
                size=a.size,
                sha256=a.sha256,
                content=a.content,
            )
        )
    session.add(
        SubmissionEvent(
            submission_id=row.id or 0,
            at=now,
            kind="received",
            data={
                "phase": phase.key,
                "owner": checked.owner_id,
                "attachment": checked.attachment is not None,
            },
        )
    )
    row.receipt_message_id = _receipt_message(session, organisation, phase, row, now)
    session.flush()
    return _receipt(row, new=True)


def _new_reference(session: Session, org_id: int, phase: PublicPhase, now: datetime) -> str:
    """``IDE-2027-K7Q3M`` (an idea) or ``HS-2027-…`` (a hearing response): random, so the
    numbers say nothing about how many came before and two requests never race for one."""
    prefix = "IDE" if phase.kind == "ideas" else "HS"
    while True:
        code = "".join(secrets.choice(_ALPHABET) for _ in range(5))
        reference = f"{prefix}-{now.year}-{code}"
        taken = session.exec(
            select(col(Submission.id)).where(
                Submission.organisation_id == org_id, Submission.reference == reference
            )
        ).first()
        if taken is None:
            return reference


def _receipt_message(
    session: Session, organisation: Organisation, phase: PublicPhase, row: Submission, now: datetime
) -> int:
    loc = locale_of(row.locale)
    from aarshjul.notifications.compose import work_calendar

    context = {
        "name": row.name, "reference": row.reference, "kind": word(KINDS, phase.kind, loc),
        "phase": phase.name(loc), "organisation": organisation.name,
        "received": day_month(work_calendar(organisation).local_date(now), loc),
        "replies_due": day_month(phase.replies_due, loc), "body": row.body,
    }  # fmt: skip
    mail = render("submission_receipt", loc, context)
    message = OutboxMessage(
        organisation_id=organisation.id or 0, person_id=None, recipient=row.email,
        day=work_calendar(organisation).local_date(now), kind=OutboxKind.submission_receipt,
        subject=mail.subject, body_text=mail.text, body_html=mail.html,
        status=OutboxStatus.pending, created_at=now,
    )  # fmt: skip
    session.add(message)
    session.flush()
    return message.id or 0
