"""``template show -f json|csv`` prints valid JSON/CSV only; ``template export`` writes a copy."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from aarshjul.cli import app
from aarshjul.planning.template_files import builtin_text, load_template

runner = CliRunner()


def test_show_json_is_one_json_document() -> None:
    result = runner.invoke(app, ["template", "show", "helhedsplan", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)  # the whole output, nothing before or after
    assert data["template"] == "helhedsplan" and len(data["sha256"]) == 64
    phases = {p["key"]: p for p in data["phases"]}
    assert phases["plan_hearing"]["end_rule"] == "forward"
    assert phases["strategy_debate"]["term_years"] == "2"
    assert {r["id"] for r in data["rules"]} >= {"dk.P1", "dk.P3", "dk.P12"}


def test_show_csv_is_one_csv_table() -> None:
    result = runner.invoke(app, ["template", "show", "tillaeg", "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["section"] for row in rows} == {"phases", "milestones", "tasks", "rules"}
    assert all(len(row) == len(rows[0]) and None not in row for row in rows)
    hearing = next(row for row in rows if row["section"] == "phases" and row["key"] == "hearing")
    assert hearing["end_rule"] == "forward"


def test_export_writes_a_builtin_template_to_copy(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "export", "tillaeg"])
    assert result.exit_code == 0 and result.stdout == builtin_text("tillaeg")
    target = tmp_path / "mit.yaml"
    result = runner.invoke(app, ["template", "export", "helhedsplan", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert load_template(target).template == "helhedsplan"
    again = runner.invoke(app, ["template", "export", "helhedsplan", "-o", str(target)])
    assert again.exit_code == 1 and "exists" in again.stderr
    unknown = runner.invoke(app, ["template", "export", "nope"])
    assert unknown.exit_code == 1 and "helhedsplan, tillaeg" in unknown.stderr
