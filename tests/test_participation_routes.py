"""The public pages and the submission pages through the app, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from aarshjul.models import OutboxMessage, Submission, SubmissionAttachment, SubmissionEvent
from tests.participation_support import (
    HEARING_START,
    IDEA_END,
    PDF,
    XSS,
    PlanWorld,
    build_plan_world,
    idea_form,
)
from tests.web_support import csrf_of


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> PlanWorld:
    w = build_plan_world(db_url, tmp_path)
    yield w
    w.runtime.close()


def _submissions(world: PlanWorld) -> list[Submission]:
    with Session(world.runtime.engine) as s:
        return list(s.exec(select(Submission).order_by(Submission.id)).all())


def test_plan_is_public_with_titles_statuses_state_and_phases(world: PlanWorld) -> None:
    page = world.client().get("/plan")
    assert page.status_code == 200
    html = page.text
    assert "Flere elever trives" in html and "Mere biodiversitet" in html
    assert "Skolechef" in html and "Børne- og Skoleudvalget" in html
    assert "Anne Kjær" not in html and "anne@example.dk" not in html  # titles only
    assert "Endnu ingen status" in html
    assert "Idéfase for borgere og foreninger er åben til 12. april 2027" in html
    assert "Forslag, i høring fra 2. september 2027" in html
    assert 'href="/plan/skole/skole-m1"' in html


def test_goal_and_area_pages_have_stable_addresses(world: PlanWorld) -> None:
    client = world.client()
    goal = client.get("/plan/skole/skole-m1")
    assert goal.status_code == 200
    assert "Trivslen måles hvert år" in goal.text and "2026\u20132029" in goal.text
    area = client.get("/plan/skole")
    assert area.status_code == 200 and "Alle børn lærer mere" in area.text
    assert client.get("/plan/skole/natur-m1").status_code == 404  # not in that area
    assert client.get("/plan/nowhere").status_code == 404


def test_search_finds_goals_by_title_and_text(world: PlanWorld) -> None:
    client = world.client()
    found = client.get("/plan/search", params={"q": "trivselsmåling"})
    assert "Flere elever trives" in found.text and "Mere biodiversitet" not in found.text
    assert "Ingen resultater" in client.get("/plan/search", params={"q": "zzz"}).text


def test_public_wheel_leaves_out_people(world: PlanWorld) -> None:
    svg = world.client().get("/plan/wheel.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert "Palle" not in svg.text and "Idéfase" in svg.text


def test_idea_submission_is_stored_routed_and_gets_a_receipt(world: PlanWorld) -> None:
    client = world.client()
    answer = client.post("/ideas", data=idea_form(client, publish_name="true"),
                         files={"attachment": ("forslag.pdf", PDF, "application/pdf")})  # fmt: skip
    assert answer.status_code == 200, answer.text
    [row] = _submissions(world)
    assert row.reference.startswith("IDE-2027-") and row.reference in answer.text
    assert row.owner_id == world.people["anne"].id  # the goal's owner
    assert row.publish_name and row.goal_id == world.goals["trivsel"].id
    with Session(world.runtime.engine) as s:
        message = s.get_one(OutboxMessage, row.receipt_message_id)
        assert message.person_id is None and message.recipient == "karen@example.org"
        assert row.reference in message.subject and message.kind == "submission_receipt"
        assert s.get_one(SubmissionAttachment, row.id).filename == "forslag.pdf"
        kinds = s.exec(select(SubmissionEvent.kind)).all()
    assert kinds == ["received"]


def test_the_same_form_sent_twice_is_one_submission(world: PlanWorld) -> None:
    client = world.client()
    form = idea_form(client)
    first, second = client.post("/ideas", data=form), client.post("/ideas", data=form)
    assert first.status_code == second.status_code == 200
    [row] = _submissions(world)
    assert row.reference in first.text and row.reference in second.text


def test_bad_fields_are_named_and_nothing_is_stored(world: PlanWorld) -> None:
    client = world.client()
    form = idea_form(client, name="", email="not-an-address", body="", concerns="goal:nope")
    answer = client.post("/ideas", data=form)
    assert answer.status_code == 400
    for text in (
        "Skriv dit navn",
        "gyldig e-mailadresse",
        "Skriv dit idé",
        "Vælg et politikområde",
    ):
        assert text in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert _submissions(world) == []


def test_attachment_must_be_a_small_pdf_by_its_content(world: PlanWorld) -> None:
    client = world.client()
    fake = client.post("/ideas", data=idea_form(client),
                       files={"attachment": ("idé.pdf", b"<html>no pdf</html>", "text/x")})  # fmt: skip
    assert fake.status_code == 400 and "ikke en PDF-fil" in fake.text
    world.runtime.settings.attachment_max_mb = 1
    big = PDF[:-6] + b"x" * (1024 * 1024) + b"%%EOF\n"
    large = client.post("/ideas", data=idea_form(client),
                        files={"attachment": ("stor.pdf", big, "application/pdf")})  # fmt: skip
    assert large.status_code == 400 and "større end 1 MB" in large.text
    assert _submissions(world) == []


def test_a_huge_body_is_refused_before_it_is_read(world: PlanWorld) -> None:
    client = world.client()
    world.runtime.settings.attachment_max_mb = 1
    app_client = world.client()
    form = idea_form(app_client)
    huge = b"%PDF-1.7\n" + b"x" * (3 * 1024 * 1024)
    answer = app_client.post(
        "/ideas", data=form, files={"attachment": ("a.pdf", huge, "application/pdf")}
    )
    assert answer.status_code == 413
    assert client.get("/ideas").status_code == 200


def test_honeypot_refuses_and_stores_nothing(world: PlanWorld) -> None:
    client = world.client()
    answer = client.post("/ideas", data=idea_form(client, website="http://spam.example"))
    assert answer.status_code == 400 and "skjulte felt" in answer.text
    assert _submissions(world) == []


def test_rate_limit_per_client(world: PlanWorld) -> None:
    client = world.client()
    codes = [client.post("/ideas", data=idea_form(client)).status_code for _ in range(11)]
    assert codes == [200] * 10 + [429]
    assert len(_submissions(world)) == 10


def test_closed_phase_says_when_and_refuses_a_post_with_409(world: PlanWorld) -> None:
    client = world.client()
    form = idea_form(client)
    after = world.on(date(2027, 4, 13)).client()
    page = after.get("/ideas")
    assert page.status_code == 200
    assert "lukkede 12. april 2027" in page.text and 'name="body"' not in page.text
    refused = after.post("/ideas", data={**form, "csrf_token": csrf_of(after.get("/login").text)})
    assert refused.status_code == 409 and "lukkede 12. april 2027" in refused.text
    before = world.on(date(2027, 2, 1)).client().get("/ideas")
    assert "åbner 1. marts 2027" in before.text
    assert _submissions(world) == []
    assert date(2027, 4, 12) == IDEA_END


def test_hearing_takes_responses_while_it_runs(world: PlanWorld) -> None:
    during = world.on(HEARING_START).client()
    listing = during.get("/hearings")
    assert "helhedsplan-2027.plan_hearing" in listing.text
    path = "/hearings/helhedsplan-2027.plan_hearing"
    answer = during.post(path, data=idea_form(during, path, concerns="area:natur"))
    assert answer.status_code == 200, answer.text
    [row] = _submissions(world)
    assert row.reference.startswith("HS-2027-") and row.owner_id == world.people["bob"].id
    assert world.client().get("/hearings/helhedsplan-2027.idea").status_code == 404


def test_english_pages(world: PlanWorld) -> None:
    client = world.client()
    client.headers["Accept-Language"] = "en-GB,en"
    assert "is open until 12 April 2027" in client.get("/plan").text
    assert "Your idea" in client.get("/ideas").text


def test_html_in_a_submission_is_escaped_on_every_page(world: PlanWorld) -> None:
    client = world.client()
    client.post(
        "/ideas", data=idea_form(client, name=XSS, association=XSS, body=XSS, publish_name="true")
    )
    [row] = _submissions(world)
    anne = world.client("anne")
    pages = [anne.get("/submissions"), anne.get(f"/submissions/{row.id}"),
             world.client("palle").get("/hvidbog/helhedsplan-2027.idea")]  # fmt: skip
    for page in pages:
        assert page.status_code == 200
        assert "<script>" not in page.text and "<b>fed</b>" not in page.text
    assert "&lt;script&gt;" in pages[1].text


def test_owner_replies_and_planning_routes(world: PlanWorld) -> None:
    client = world.client()
    client.post("/ideas", data=idea_form(client))
    [row] = _submissions(world)
    anne = world.client("anne")
    page = anne.get(f"/submissions/{row.id}")
    reply = anne.post(f"/submissions/{row.id}/reply", data={
        "csrf_token": csrf_of(page.text), "reply": "Tak, vi ser på det.",
        "recommendation": "partly"})  # fmt: skip
    assert reply.status_code == 303
    bob = world.client("bob")
    assert bob.get(f"/submissions/{row.id}").status_code == 403
    bob_page = bob.get("/submissions")
    denied = bob.post(f"/submissions/{row.id}/reply", data={
        "csrf_token": csrf_of(bob_page.text), "reply": "Nej", "recommendation": "reject"})  # fmt: skip
    assert denied.status_code == 403
    palle = world.client("palle")
    palle_page = palle.get(f"/submissions/{row.id}")
    routed = palle.post(f"/submissions/{row.id}/route", data={
        "csrf_token": csrf_of(palle_page.text), "owner": str(world.people["bob"].id)})  # fmt: skip
    assert routed.status_code == 303
    [after] = _submissions(world)
    assert after.owner_id == world.people["bob"].id and after.reply == "Tak, vi ser på det."
    with Session(world.runtime.engine) as s:
        kinds = s.exec(select(SubmissionEvent.kind).order_by(SubmissionEvent.id)).all()
    assert kinds == ["received", "replied", "routed"]


def test_reply_without_signing_in_is_403_and_without_csrf_is_403(world: PlanWorld) -> None:
    client = world.client()
    client.post("/ideas", data=idea_form(client))
    [row] = _submissions(world)
    anon = world.client()
    token = csrf_of(anon.get("/ideas").text)
    data = {"csrf_token": token, "reply": "x", "recommendation": "noted"}
    assert anon.post(f"/submissions/{row.id}/reply", data=data).status_code == 403
    anne = world.client("anne")
    no_token = {"reply": "x", "recommendation": "noted"}
    assert anne.post(f"/submissions/{row.id}/reply", data=no_token).status_code == 403
    assert world.client().post("/ideas", data={"name": "x"}).status_code == 403  # no CSRF token
    assert _submissions(world)[0].reply == ""


def test_hvidbog_page_is_for_planning(world: PlanWorld) -> None:
    assert world.client("anne").get("/hvidbog/helhedsplan-2027.idea").status_code == 403
    palle = world.client("palle")
    page = palle.get("/hvidbog/helhedsplan-2027.idea")
    assert page.status_code == 200 and "Hvidbog" in page.text
    docx = palle.get("/hvidbog/helhedsplan-2027.idea", params={"format": "docx"})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_owner_edits_the_public_text_with_history(world: PlanWorld) -> None:
    anne = world.client("anne")
    page = anne.get("/plan-text/goal/skole-m1")
    assert page.status_code == 200
    saved = anne.post("/plan-text/goal/skole-m1", data={
        "csrf_token": csrf_of(page.text), "body": "Ny offentlig tekst om trivsel."})  # fmt: skip
    assert saved.status_code == 303
    public = world.client().get("/plan/skole/skole-m1").text
    assert "Ny offentlig tekst om trivsel." in public and "Ændret 15. marts 2027" in public
    bob = world.client("bob")
    denied = bob.post("/plan-text/goal/skole-m1", data={
        "csrf_token": csrf_of(bob.get("/plan-text/goal/skole-m1").text), "body": "Bobs tekst"})  # fmt: skip
    assert denied.status_code == 403
