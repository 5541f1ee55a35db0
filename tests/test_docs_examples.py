"""Every YAML example in docs/ works: a whole template passes ``template check``, an organisation
file loads, a statistics table mapping validates, and a fragment (``rules:``, ``meetings:``,
``variants:``) is valid template YAML."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter
from typer.testing import CliRunner

from aarshjul.cli import app
from aarshjul.org.org_files import load_org_file
from aarshjul.org.org_schema import OrgFile
from aarshjul.planning.template_rules import rule_spec
from aarshjul.planning.template_schema import RuleEntry, Template
from aarshjul.stats.table_mappings import TableMapping
from aarshjul.yamlfile import parse_yaml_text

DOCS = Path(__file__).parent.parent / "docs"
BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXAMPLES = [
    pytest.param(text, id=f"{path.name}:{n}")
    for path in sorted(DOCS.glob("*.md"))
    for n, text in enumerate(BLOCK.findall(path.read_text(encoding="utf-8")))
]


def test_the_docs_have_yaml_examples() -> None:
    assert len(EXAMPLES) >= 7


@pytest.mark.parametrize("text", EXAMPLES)
def test_yaml_example(text: str, tmp_path: Path) -> None:
    from aarshjul.errors import InputError

    data = parse_yaml_text(text, "example", InputError)
    assert isinstance(data, dict)
    if "template" in data:
        path = tmp_path / "example.yaml"
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(app, ["template", "check", str(path), "--year", "2027"])
        assert result.exit_code == 0, result.stderr
    elif "table" in data:
        assert TableMapping.model_validate(data).table == data["table"]
    elif "organisation" in data:
        path = tmp_path / "org.yaml"
        path.write_text(text, encoding="utf-8")
        assert load_org_file(path).organisation.key
    else:
        for key, value in data.items():
            _fragment(key, value)


def _fragment(key: str, value: Any) -> None:
    if key in OrgFile.model_fields and key != "organisation":  # a section of an organisation file
        TypeAdapter(OrgFile.model_fields[key].annotation).validate_python(value)
        return
    assert key in Template.model_fields, f"{key}: not a template or organisation file section"
    parsed = TypeAdapter(Template.model_fields[key].annotation).validate_python(value)
    entries: list[RuleEntry] = list(parsed) if key == "rules" else []
    if key == "variants":
        entries = [entry for variant in parsed.values() for entry in variant.rules]
    for entry in entries:
        rule_spec(entry)
