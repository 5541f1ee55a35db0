"""The hvidbog's content and documents, the digest lines, public texts in addenda, the
template marker."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from aarshjul.access.permissions import viewer_for
from aarshjul.errors import InputError
from aarshjul.models import Person, Submission
from aarshjul.notifications.compose import compose_digests
from aarshjul.participation.answers import reply_to_submission
from aarshjul.participation.hvidbog import hvidbog
from aarshjul.participation.hvidbog_document import render_hvidbog
from aarshjul.participation.plan_state import addenda, plan_state
from aarshjul.participation.plan_texts import save_text
from aarshjul.participation.plan_view import digital_plan
from aarshjul.participation.public_phases import find_public_phase, public_phases
from aarshjul.planning.template_files import load_builtin_template
from tests import factories as f
from tests.participation_support import XSS, PlanWorld, build_plan_world, idea_form

NOW = datetime(2027, 3, 20, 9, tzinfo=UTC)


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> PlanWorld:
    w = build_plan_world(db_url, tmp_path)
    yield w
    w.runtime.close()


def _send(world: PlanWorld, **fields: str) -> None:
    client = world.client()
    assert client.post("/ideas", data=idea_form(client, **fields)).status_code == 200


def test_hvidbog_groups_numbers_and_names_only_with_consent(world: PlanWorld) -> None:
    _send(world, name="Karen Borger", publish_name="true", concerns="area:natur")
    _send(world, name="Ole Hemmelig", association="Naturfredningsforeningen")
    _send(world, name="Uden Emne", concerns="")
    with Session(world.runtime.engine) as s:
        org = world.org
        phase = find_public_phase(s, organisation=org, key="idea", year=2027)
        first = s.exec(select(Submission).order_by(Submission.id)).first()
        anne = viewer_for(s, s.get_one(Person, world.people["palle"].id))
        reply_to_submission(s, organisation=org, viewer=anne, submission_id=first.id or 0,
                            reply="Godt forslag.", recommendation="adopt", now=NOW)  # fmt: skip
        book = hvidbog(s, organisation=org, phase=phase, today=date(2027, 4, 20))
    titles = [g.title for g in book.groups]
    assert titles == ["Natur og miljø", "Skole", "Generelt"]
    assert [e.number for e in book.entries] == [1, 2, 3]
    submitters = [e.submitter for e in book.entries]
    assert submitters == ["Karen Borger", "Naturfredningsforeningen", "Borger"]
    assert book.summary == [("Imødekommes", 1), ("Mangler svar", 2)] and book.missing == 2


def test_html_in_a_submission_is_escaped_in_every_document(world: PlanWorld) -> None:
    _send(world, name=XSS, association=XSS, body=XSS, publish_name="true")
    with Session(world.runtime.engine) as s:
        phase = find_public_phase(s, organisation=world.org, key="helhedsplan-2027.idea")
        book = hvidbog(s, organisation=world.org, phase=phase, today=date(2027, 4, 20))
    html = render_hvidbog(book, "html").decode("utf-8")
    assert "<script>" not in html and "<b>fed</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    docx = render_hvidbog(book, "docx")
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    pdf = render_hvidbog(book, "pdf")
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout
        assert b'<script>alert("x")</script><b>fed</b>' in text  # shown as text, not markup


def test_digest_tells_the_owner_of_new_and_unanswered_submissions(world: PlanWorld) -> None:
    _send(world)  # on 15 March, routed to Anne
    with Session(world.runtime.engine) as s:
        org = s.merge(world.org)
        new = compose_digests(s, organisation=org, today=date(2027, 3, 16), dry_run=True)
        [anne] = [d for d in new.digests if d.email == "anne@example.dk"]
        assert "1 ny indsendelse til dig i Idéfase for borgere og foreninger" in anne.text
        assert "Svar senest 28. maj 2027" in anne.text
        later = compose_digests(s, organisation=org, today=date(2027, 3, 17), dry_run=True)
        assert all("indsendelse" not in d.text for d in later.digests)  # said once
        due = compose_digests(s, organisation=org, today=date(2027, 5, 26), dry_run=True)
        [anne] = [d for d in due.digests if d.email == "anne@example.dk"]
        assert (
            "1 indsendelse i Idéfase for borgere og foreninger mangler stadig dit svar" in anne.text
        )


def test_a_change_to_the_adopted_plan_goes_into_an_addendum(world: PlanWorld) -> None:
    adopted_day = date(2027, 11, 26)
    with Session(world.runtime.engine) as s:
        org = s.merge(world.org)
        cycle = f.cycle(s, org, 2028)
        f.phase(s, cycle, date(2028, 9, 1), date(2028, 10, 27), key="plan_hearing",
                name_da="Offentlig høring af forslag til tillæg")  # fmt: skip
        f.milestone(s, cycle, date(2028, 11, 30), key="plan_adoption", kind="decision")
        s.commit()
        items = addenda(public_phases(s, organisation=org), adopted_day)
        assert plan_state(items, adopted_day).text("da") == "Vedtaget 25. november 2027"
        anne = viewer_for(s, s.get_one(Person, world.people["anne"].id))
        kw = {
            "organisation": org,
            "viewer": anne,
            "subject": "goal",
            "key": "skole-m1",
            "items": items,
            "adopted": True,
            "now": datetime(2027, 11, 26, 9, tzinfo=UTC),
        }
        with pytest.raises(InputError, match="needs an addendum"):
            save_text(s, body="Ny tekst", addendum_key=None, **kw)  # type: ignore[arg-type]
        with pytest.raises(InputError, match=r"kan ikke"):
            save_text(s, body="Ny tekst", addendum_key="helhedsplan-2027.plan_hearing", **kw)  # type: ignore[arg-type]
        save_text(
            s, body="Ny tekst i tillægget", addendum_key="helhedsplan-2028.plan_hearing", **kw
        )  # type: ignore[arg-type]
        s.commit()
        now_goal = digital_plan(s, organisation=org, today=adopted_day).goal("skole", "skole-m1")
        assert now_goal.shown_text.startswith("Trivslen måles")
        [pending] = now_goal.text.pending
        assert pending.body == "Ny tekst i tillægget"
        after = digital_plan(s, organisation=org, today=date(2028, 11, 30)).goal(
            "skole", "skole-m1"
        )
        assert after.shown_text == "Ny tekst i tillægget" and after.text.pending == []


def test_the_built_in_templates_mark_the_public_phases() -> None:
    plan = load_builtin_template("helhedsplan")
    assert {p.key: p.public for p in plan.phases if p.public} == {
        "idea": "ideas", "plan_hearing": "hearing", "strategy_debate": "hearing"}  # fmt: skip
    assert [p.key for p in load_builtin_template("tillaeg").phases if p.public] == ["hearing"]


def test_public_phase_dates_deadline_and_adoption(world: PlanWorld) -> None:
    with Session(world.runtime.engine) as s:
        idea = find_public_phase(s, organisation=world.org, key="idea", year=2027)
        hearing = find_public_phase(s, organisation=world.org, key="helhedsplan-2027.plan_hearing")
    assert idea.replies_due == date(2027, 5, 28) and idea.adoption == date(2027, 11, 25)
    assert hearing.replies_due == date(2027, 11, 18) and hearing.adoption == date(2027, 11, 25)
    assert [idea.state(d) for d in (date(2027, 2, 28), date(2027, 4, 12), date(2027, 4, 13))] == [
        "coming", "open", "closed"]  # fmt: skip


def test_hvidbog_output_errors_are_one_line_as_for_the_other_documents(
    sqlite_url: str, tmp_path: Path
) -> None:
    """`hvidbog -o` into a missing folder was a FileNotFoundError traceback, and its unknown
    suffix message differed from `report planning`'s: one check serves both now."""
    from tests.cli_helpers import run

    world = build_plan_world(sqlite_url, tmp_path)
    world.runtime.close()
    missing = tmp_path / "no-folder" / "hvidbog.docx"
    day = ["--today", "2027-03-15", "-o"]
    for command in (
        ["hvidbog", "idea", "--year", "2027", *day],
        ["report", "planning", "2027", *day],
    ):
        gone = run(sqlite_url, *command, str(missing))
        assert gone.exit_code == 1 and "Traceback" not in gone.output, gone.output
        assert f"{missing}: cannot write here (no folder {missing.parent})" in gone.stderr
        odt = run(sqlite_url, *command, str(tmp_path / "x.odt"))
        assert odt.exit_code == 1
        assert "unknown document format '.odt': use .docx, .pdf or .html" in odt.stderr
    assert not missing.parent.exists()
    made = run(sqlite_url, "hvidbog", "idea", "--year", "2027", "--today", "2027-03-15", "-o",
               str(tmp_path / "hvidbog.pdf"))  # fmt: skip
    assert made.exit_code == 0, made.output
    assert (tmp_path / "hvidbog.pdf").read_bytes().startswith(b"%PDF")
