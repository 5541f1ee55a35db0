"""The board's dashboard (``/board``): who may see it, its lists, drill-downs and downloads, on
the hand-built scenario of :mod:`tests.engine_scenario` (Monday 15 March 2027)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.board_support import HOSTILE, BoardWorld, board_world


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path) -> BoardWorld:
    return board_world(sqlite_url, tmp_path, hostile=True)


def test_direktion_and_planning_see_the_board_others_get_403(world: BoardWorld) -> None:
    for who in ("dir", "plan"):
        page = world.client(who).get("/board")
        assert page.status_code == 200, who
        assert 'href="/board" aria-current="page"' in page.text  # the nav link, here current
    refused = world.client("anne").get("/board")  # a department head
    assert refused.status_code == 403
    assert 'href="/board"' not in world.client("anne").get("/tasks").text
    for path in ("/board/panels", "/board/committee/bsu", "/board/export/overdue.csv"):
        assert world.client("anne").get(path).status_code == 403, path


def test_signed_out_is_sent_to_login(world: BoardWorld) -> None:
    for path in ("/board", "/board/committee/bsu", "/board/export/overdue.xlsx"):
        response = world.client().get(path)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={path}"


def test_a_polled_fragment_after_the_session_ended_sends_the_page_to_login(
    world: BoardWorld,
) -> None:
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/board"}
    response = world.client().get("/board/panels", headers=headers)
    assert response.status_code == 204  # nothing swapped into the panel
    assert response.headers["hx-redirect"] == "/login?next=/board"


def test_the_wheel_is_inline_with_phase_links_and_a_panel_per_phase(world: BoardWorld) -> None:
    html = world.client("dir").get("/board").text
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 1
    assert "<style>" not in html  # the CSP allows no inline style: board.css has the rules
    assert '<script src="/static/board.js" defer></script>' in html
    for key in ("status", "idea", "budget"):
        link = f"/board/phase/helhedsplan-2027--{key}"
        assert f'<a href="{link}"' in html  # the arc
        assert f'data-info-for="helhedsplan-2027--{key}"' in html  # its panel
    # The idea phase: 0 of 2 done, 1 overdue, 15 of 40 days passed (38 %), late.
    panel = html.split('data-info-for="helhedsplan-2027--idea"')[1].split("</div>")[0]
    assert "0 af 2 udført (0 %)" in panel and "Forsinket" in panel and "38%" in panel
    assert "01.03.2027 \u2013 09.04.2027" in panel
    assert 'hx-get="/board/panels" hx-trigger="every 60s"' in html
    assert html.count('id="board-summary"') == 1 and "hx-swap-oob" not in html
    assert html.index('id="board-summary"') < html.index("<svg")  # the summary first
    fragment = world.client("dir").get("/board/panels").text
    assert fragment.startswith('<div id="board-panels"') and "<svg" not in fragment
    assert '<div id="board-summary" hx-swap-oob="true">' in fragment


def test_lists_show_the_reports_numbers(world: BoardWorld) -> None:
    html = world.client("dir").get("/board").text
    # The scenario's 7 tasks and the hostile committee's overdue one: 1 done of 7 not waived.
    assert "1 af 7 opgaver er udført (14 %); 4 er over fristen." in html
    overdue = html.split('id="list-overdue"')[1].split("</section>")[0]
    assert "Målstatus" in overdue and '<a href="/board/person/anne%40example.dk">' in overdue
    milestones = html.split('id="list-milestones"')[1].split("</section>")[0]
    assert "2. behandling" in milestones and "12.10.2027" in milestones
    goals = html.split('id="list-goals"')[1].split("</section>")[0]
    assert "mark-at_risk" in goals and "Risiko" in goals  # a light with its text
    assert "Siden sidste uge" in html


def test_drilldowns_and_unknown_keys(world: BoardWorld) -> None:
    client = world.client("dir")
    bsu = client.get("/board/committee/bsu")
    assert bsu.status_code == 200
    assert "Målstatus" in bsu.text and "Idéoplæg" not in bsu.text  # t4 is the other committee's
    assert "3 opgaver: 1 udført, 1 åbne, 1 over fristen, 1 frafaldet." in bsu.text
    person = client.get("/board/person/eric@example.dk")
    assert "Idéoplæg" in person.text and "Målstatus" not in person.text
    area = client.get("/board/policy_area/oek")
    assert area.status_code == 200 and "Idéoplæg" in area.text
    phase = client.get("/board/phase/helhedsplan-2027--idea")
    assert phase.status_code == 200 and "Idéoplæg" in phase.text
    for path in ("/board/committee/nope", "/board/person/nobody@example.dk",
                 "/board/phase/helhedsplan-2027--nope", "/board/phase/nope"):  # fmt: skip
        missing = client.get(path)
        assert missing.status_code == 404, path
        assert "nope" in missing.text or "nobody@example.dk" in missing.text
    assert "ingen fase" in client.get("/board/phase/nope").text  # fase is common gender
    assert "intet udvalg" in client.get("/board/committee/nope").text
    assert client.get("/board/wardrobe/x").status_code == 400  # not a kind of drill-down
    assert client.get("/board/export/secrets.csv").status_code == 404


def test_csv_download_defuses_formulas_and_names_the_file(world: BoardWorld) -> None:
    response = world.client("dir").get("/board/committee/evil/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == (
        'attachment; filename="aarshjul-2027-committee-evil.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Nr.", "Opgave", "Status"]
    [task] = rows[1:]
    assert task[1] == HOSTILE and task[7] == HOSTILE  # starts with "<": no formula, as written
    overdue = world.client("dir").get("/board/export/overdue.csv")
    body = overdue.content.decode("utf-8-sig")
    assert overdue.headers["content-disposition"].endswith('filename="aarshjul-2027-overdue.csv"')
    assert body.splitlines()[0].startswith("Nr.;Opgave;Ansvarlig;E-mail;Frist;Arbejdsdage over")


def test_csv_formula_cell_gets_a_quote(sqlite_url: str, tmp_path: Path) -> None:
    world = board_world(sqlite_url, tmp_path)
    from sqlmodel import Session

    from aarshjul.models import Task

    with Session(world.runtime.engine) as s:
        task = s.get_one(Task, world.board.id("t2"))
        task.title_da = '=HYPERLINK("http://evil.example","klik")'
        s.add(task)
        s.commit()
    body = world.client("dir").get("/board/export/overdue.csv").content.decode("utf-8-sig")
    row = next(
        r for r in csv.reader(io.StringIO(body), delimiter=";") if r[0] == str(world.board.id("t2"))
    )
    assert row[1] == '\'=HYPERLINK("http://evil.example","klik")'
    sheet = _sheet(world.client("dir").get("/board/export/overdue.xlsx").content)
    cell = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == world.board.id("t2"))[1]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")  # text, not a formula


def _sheet(content: bytes):  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(content))
    return book.active


def test_xlsx_has_a_header_dates_numbers_and_widths(world: BoardWorld) -> None:
    response = world.client("dir").get("/board/export/overdue.xlsx")
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["content-disposition"] == (
        'attachment; filename="aarshjul-2027-overdue.xlsx"'
    )
    sheet = _sheet(response.content)
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Nr.", "Opgave", "Ansvarlig", "E-mail", "Frist", "Arbejdsdage over"]
    assert sheet[1][0].font.bold and sheet.freeze_panes == "A2"
    first = [c.value for c in sheet[2]]
    assert first[0] == world.board.id("t2") and first[1] == "Målstatus"
    assert first[4].date() == date(2027, 2, 15) and sheet[2][4].number_format == "yyyy-mm-dd"
    assert first[5] == 20 and isinstance(first[5], int)
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
    phases = _sheet(world.client("dir").get("/board/export/phases.xlsx").content)
    idea = next(r for r in phases.iter_rows(min_row=2) if r[1].value == "Idéfase")
    assert idea[-1].value == pytest.approx(15 / 40) and idea[-1].number_format == "0%"


def test_english_headers_and_file_for_an_english_reader(world: BoardWorld) -> None:
    from sqlmodel import Session

    from aarshjul.models import Person

    with Session(world.runtime.engine) as s:
        person = s.get_one(Person, world.board.people["plan"].id)
        person.locale = "en"
        s.add(person)
        s.commit()
    client = world.client("plan")
    page = client.get("/board").text
    assert "The executive board&#39;s dashboard" in page and ">Board</a>" in page
    assert "Statutory milestones at risk" in page and "Since last week" in page
    body = client.get("/board/export/committees.csv").content.decode("utf-8-sig")
    assert body.splitlines()[0] == "Name,Done,Open,Overdue,Waived,Total,Done %,Due so far"
    drill = client.get("/board/committee/bsu").text
    assert "Committee:" in drill and "Open, overdue" in drill


def test_a_hostile_committee_name_is_escaped(world: BoardWorld) -> None:
    client = world.client("dir")
    for path in ("/board", "/board/committee/evil"):
        html = client.get(path).text
        assert '<script>alert("x")</script>' not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_a_direktion_member_lands_on_the_board_others_on_tasks(world: BoardWorld) -> None:
    from aarshjul.access.sign_in import request_sign_in_link
    from aarshjul.db import session_scope
    from tests.web_support import form_token

    for who, landing in (("dir", "/board"), ("plan", "/tasks"), ("anne", "/tasks")):
        with session_scope(world.runtime.engine) as s:
            org = world.runtime.organisation(s)
            email = world.board.people[who].email
            link = request_sign_in_link(
                s, org=org, email=email, now=world.runtime.clock.now(), client="t"
            )
            assert link is not None
            token = link.token
        client = world.client()
        csrf = form_token(client, f"/login/{token}")
        response = client.post(f"/login/{token}", data={"csrf_token": csrf})
        assert response.status_code == 303 and response.headers["location"] == landing, who
