"""Every documented template error: reported all at once, with file, YAML path, value and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from aarshjul.errors import TemplateError
from aarshjul.planning.template_files import (
    load_builtin_template,
    load_template,
    resolve_template_ref,
)

GOOD = """
template: mini
kind: annual
title: Mini
meetings:
  kb: {name: KB, rule: last thu}
phases:
  - {key: idea, name: Idéfase, start: 1st mon of mar, end: start + 6 weeks, owner: role:planning}
  - {key: hearing, name: Høring, start: meeting kb in aug + 7 days, end: start + 8 weeks,
     end_rule: forward}
milestones:
  - {key: adoption, name: Vedtagelse, date: first meeting kb after hearing.end}
rules:
  - {use: dk.P3, phase: hearing}
tasks:
  - {key: status, phase: idea, for_each: goal, title: "Status: {goal}", owner: owner, due: phase.end}
"""


def _load(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_template(path)
    assert all(str(path) in problem for problem in info.value.problems)
    return info.value.problems


def _one(tmp_path: Path, old: str, new: str) -> str:
    assert old in GOOD
    problems = _load(tmp_path, GOOD.replace(old, new))
    return "\n".join(problems)


def test_the_good_template_loads(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_template(path).template == "mini"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("title: Mini", "title: Mini\ncolour: blue", "colour: value 'blue': unknown field"),
        ("title: Mini\n", "", "title: required field is missing"),
        (
            "kind: annual",
            "kind: yearly",
            "kind: value 'yearly': Input should be 'annual' or 'process'",
        ),
        (
            "end: start + 6 weeks",
            "end: start + 6 wekes",
            "phases[0].end: value 'start + 6 wekes': not a date expression",
        ),
        (
            "end: start + 8 weeks",
            "end: strat + 8 weeks",
            "phases[1].end: value 'strat + 8 weeks': unknown date 'strat'",
        ),
        (
            "meeting kb in aug",
            "meeting kbb in aug",
            "unknown meeting series 'kbb'. Mente du 'kb'?",
        ),
        (
            "rule: last thu",
            "rule: last thursdayish",
            "meetings.kb.rule: value 'last thursdayish': not a meeting rule",
        ),
        (
            "{key: adoption,",
            "{key: idea,",
            "milestones[0].key: value 'idea': key already used at phases[0]",
        ),
        (
            "phase: idea, for_each",
            "phase: idee, for_each",
            "tasks[0].phase: value 'idee': no such phase",
        ),
        (
            "owner: role:planning",
            "owner: boss",
            "phases[0].owner: value 'boss': unknown owner",
        ),
        (
            "for_each: goal",
            "for_each: once",
            "tasks[0].owner: value 'owner': owner 'owner' needs for_each goal or policy_area",
        ),
        (
            '"Status: {goal}"',
            '"Status: {gaol}"',
            "tasks[0].title.da: value 'Status: {gaol}': unknown placeholder {gaol}",
        ),
        (
            "due: phase.end}",
            "due: phase.end, depends_on: [nothing]}",
            "tasks[0].depends_on[0]: value 'nothing': no such task",
        ),
        (
            "due: phase.end}",
            "due: phase.end, remind: [10 wrkdays]}",
            "tasks[0].remind[0]: value '10 wrkdays': not a duration",
        ),
        (
            "{use: dk.P3, phase: hearing}",
            "{use: dk.P33, phase: hearing}",
            "rules[0]: value 'dk.P33': Ukendt regel 'dk.P33'",
        ),
        (
            "{use: dk.P3, phase: hearing}",
            "{use: dk.B2, milestone: budget_2nd_reading}",
            "rules[0]: value 'dk.B2': rule reads 'budget_2nd_reading', which the template does not define",
        ),
        (
            "{use: dk.P3, phase: hearing}",
            "{kind: min_gap, from: idea.end, to: adoption}",
            "rules[0]: value None: a rule needs either 'use: dk.…' or both 'kind' and 'id'",
        ),
        (
            "start: meeting kb in aug + 7 days",
            "start: adoption - 20 weeks",
            "dates refer to each other in a loop",
        ),
        (
            "due: phase.end}",
            "due: milestone}",
            "tasks[0].due: value 'milestone': unknown date 'milestone'",
        ),
    ],
)
def test_each_documented_error(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert expected in _one(tmp_path, old, new)


def test_all_errors_are_reported_at_once(tmp_path: Path) -> None:
    broken = (
        GOOD.replace("title: Mini", "title: Mini\ncolour: blue")
        .replace("end: start + 6 weeks", "end: start + 6 wekes")
        .replace("end: start + 8 weeks", "end: strat + 8 weeks")
    )
    problems = _load(tmp_path, broken)
    assert len(problems) == 2  # structural errors first: the unknown field and the bad expression
    assert any("colour" in p for p in problems) and any("phases[0].end" in p for p in problems)
    semantic = _load(
        tmp_path,
        GOOD.replace("end: start + 8 weeks", "end: strat + 8 weeks").replace(
            "phase: idea, for_each", "phase: idee, for_each"
        ),
    )
    assert len(semantic) == 2


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("template: x\nphases: [\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"line \d+, column \d+: not valid YAML"):
        load_template(path)


def test_unknown_builtin_and_hash_is_stable() -> None:
    with pytest.raises(TemplateError, match="no built-in template 'nope'"):
        resolve_template_ref("nope")
    first, second = load_builtin_template("helhedsplan"), load_builtin_template("helhedsplan")
    assert first.content_hash == second.content_hash and len(first.content_hash) == 64
