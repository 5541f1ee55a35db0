"""Issue 13, kinds 2, 3 and 6: YAML files that would exhaust the parser, break the decoder or
hide a second key are refused with the file, the line and the reason — quickly, never a traceback.
"""

from __future__ import annotations

import codecs
import re
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from aarshjul import yamlfile
from aarshjul.cli import app
from aarshjul.errors import OrgDataError, TemplateError
from aarshjul.org.org_files import load_org_file
from aarshjul.planning.template_files import builtin_text, load_template, parse_template
from tests.test_org_import import MINIMAL

# A 342-byte alias bomb: nine levels of nine aliases each, 9**9 = 387 million strings.
ALIAS_BOMB = "\n".join(
    [
        'a: &a ["x","x","x","x","x","x","x","x","x"]',
        *(
            f"{n}: &{n} [{','.join(['*' + p] * 9)}]"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def _org_text() -> str:
    return yaml.safe_dump(MINIMAL, allow_unicode=True, sort_keys=False)


def _write(tmp_path: Path, text: str | bytes, name: str = "org.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def bounded() -> object:
    """Each case must end within seconds and well under 100 MB (the failures took 48 s and 3 GB)."""
    tracemalloc.start()
    started = time.monotonic()
    yield
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 100 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert time.monotonic() - started < 30


# -- kind 2: parsers that can be exhausted ------------------------------------------------------


def test_alias_bomb_is_refused_quickly(tmp_path: Path, bounded: object) -> None:
    assert len(ALIAS_BOMB.encode()) < 400
    path = _write(tmp_path, ALIAS_BOMB)
    with pytest.raises(OrgDataError, match=r"org\.yaml: line \d+, column \d+: aliases") as info:
        load_org_file(path)
    assert "100,000" in str(info.value)


def test_alias_bomb_in_a_template_is_refused(tmp_path: Path, bounded: object) -> None:
    with pytest.raises(TemplateError, match="aliases"):
        load_template(_write(tmp_path, ALIAS_BOMB, "t.yaml"))


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OrgDataError, match=r"line 1, column 13: the alias \*p refers to itself"):
        load_org_file(_write(tmp_path, "people: &p [*p]\n"))


def test_a_few_aliases_still_work(tmp_path: Path) -> None:
    text = _org_text().replace("roles:\n  - direktion", "roles: &r\n  - direktion", 1)
    text = text.replace("roles:\n  - department_head", "roles: *r", 1)
    assert load_org_file(_write(tmp_path, text)).people[1].roles == ["direktion"]


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_nesting_is_refused_not_a_recursion_error(
    tmp_path: Path, opening: str, bounded: object
) -> None:
    closing = "]" if opening == "[" else "}"
    path = _write(tmp_path, opening * 1000 + closing * 1000)
    with pytest.raises(OrgDataError, match=r"line 1, column \d+: nested more than 64 levels"):
        load_org_file(path)


def test_deep_block_nesting_is_refused(tmp_path: Path) -> None:
    text = "".join(f"{'  ' * n}k{n}:\n" for n in range(200))
    with pytest.raises(TemplateError, match="nested more than 64 levels"):
        load_template(_write(tmp_path, text, "t.yaml"))


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(
    tmp_path: Path, bounded: object
) -> None:
    path = tmp_path / "big.yaml"
    with path.open("w", encoding="utf-8") as out:
        out.write("people:\n")
        line = "  - {email: x@example.dk, name: X}\n"
        out.write(line * (yamlfile.MAX_FILE_BYTES // len(line) + 10))
    with pytest.raises(OrgDataError, match=r"big\.yaml: the file is larger than 10 MB"):
        load_org_file(path)


def test_a_stored_template_over_the_limit_is_refused() -> None:
    with pytest.raises(TemplateError, match="larger than 10 MB"):
        parse_template("#" * (yamlfile.MAX_FILE_BYTES + 1), "stored:x")


def test_a_huge_integer_is_a_message_not_a_value_error(tmp_path: Path) -> None:
    path = _write(tmp_path, f"organisation: {{key: a, name: A}}\nx: {'9' * 5000}\n")
    with pytest.raises(OrgDataError, match=r"line 2, column 4: .*integer"):
        load_org_file(path)


def test_the_c_loader_is_used_where_present() -> None:
    if not yaml.__with_libyaml__:  # pragma: no cover - libyaml is in the PyYAML wheels
        pytest.skip("PyYAML without libyaml")
    assert issubclass(yamlfile.loader_class(), yaml._yaml.CParser)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ALIAS_BOMB, "aliases"),
        ("[" * 1000 + "]" * 1000, "nested more than 64"),
        ("a: 1\na: 2\n", "duplicate key 'a' (first at line 1)"),
        ("people: &p [*p]\n", "refers to itself"),
        (f"x: {'9' * 5000}\n", "integer too long"),
    ],
)
def test_the_pure_python_loader_has_the_same_checks(
    monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    monkeypatch.setattr(yamlfile, "loader_class", lambda: yamlfile._PyLoader)
    with pytest.raises(OrgDataError, match=re.escape(expected)):
        yamlfile.parse_yaml_text(text, "x.yaml", OrgDataError)
    assert yamlfile.parse_yaml_text("a: 2027-02-30\n", "x", OrgDataError) == {"a": "2027-02-30"}


# -- kind 3: encodings --------------------------------------------------------------------------


def test_latin1_file_names_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "organisation: {key: a, name: Åse}\n".encode("latin-1"))
    with pytest.raises(OrgDataError, match=r"line 1, column 30: not UTF-8 text \(byte 0xc5\)"):
        load_org_file(path)


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig", "utf-32"])
def test_files_with_a_byte_order_mark_are_read(tmp_path: Path, codec: str) -> None:
    path = _write(tmp_path, _org_text().encode(codec))
    assert load_org_file(path).organisation.name == "Testby Kommune"


def test_utf16_without_a_bom_is_a_message(tmp_path: Path) -> None:
    path = _write(tmp_path, _org_text().encode("utf-16-le"))
    with pytest.raises(OrgDataError, match=r"not UTF-8 text|special characters"):
        load_org_file(path)


def test_broken_utf16_is_a_message(tmp_path: Path) -> None:
    path = _write(tmp_path, codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(OrgDataError, match="not UTF-16 text"):
        load_org_file(path)


def test_a_directory_is_a_message(tmp_path: Path) -> None:
    with pytest.raises(OrgDataError, match="cannot read the file"):
        load_org_file(tmp_path)


def test_control_characters_are_a_message(tmp_path: Path) -> None:
    path = _write(tmp_path, "organisation: {key: a, name: \x07A}\n")
    with pytest.raises(OrgDataError, match="not valid YAML"):
        load_org_file(path)


# -- kind 6: duplicate keys -----------------------------------------------------------------------


def test_a_second_organisation_block_is_an_error_with_both_lines(tmp_path: Path) -> None:
    text = _org_text() + "organisation: {key: andetsted, name: Andet Sted}\n"
    second = text.count("\n")
    with pytest.raises(OrgDataError) as info:
        load_org_file(_write(tmp_path, text))
    assert f"line {second}, column 1: duplicate key 'organisation' (first at line 1)" in str(
        info.value
    )


def test_a_second_name_is_an_error(tmp_path: Path) -> None:
    text = "organisation:\n  key: a\n  name: A\n  name: B\n"
    with pytest.raises(
        OrgDataError, match=r"line 4, column 3: duplicate key 'name' \(first at line 3\)"
    ):
        load_org_file(_write(tmp_path, text))


def test_duplicate_keys_in_flow_style_and_templates(tmp_path: Path) -> None:
    with pytest.raises(OrgDataError, match="duplicate key 'key'"):
        load_org_file(_write(tmp_path, "organisation: {key: a, key: b, name: A}\n"))
    text = builtin_text("tillaeg").replace("version: 1\n", "version: 1\nversion: 2\n")
    with pytest.raises(TemplateError, match="duplicate key 'version'"):
        load_template(_write(tmp_path, text, "t.yaml"))


def test_keys_that_mean_the_same_value_are_duplicates(tmp_path: Path) -> None:
    with pytest.raises(OrgDataError, match="duplicate key"):
        load_org_file(_write(tmp_path, "x: {1: a, 0x1: b}\n"))


def test_merge_keys_may_be_overridden(tmp_path: Path) -> None:
    text = "base: &b {key: a, name: A}\norganisation: {<<: *b, name: B}\n"
    assert yamlfile.parse_yaml_text(text, "x", OrgDataError)["organisation"] == {
        "key": "a",
        "name": "B",
    }


# -- through the CLI: one clean message, exit 1 ---------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (ALIAS_BOMB, "aliases"),
        ("[" * 1000 + "]" * 1000, "nested more than"),
        ("organisation: {key: a, name: Åse}\n".encode("latin-1"), "not UTF-8 text"),
        ("organisation: {key: a, name: A}\norganisation: {key: b, name: B}\n", "duplicate key"),
    ],
)
def test_org_import_gives_one_clean_message(
    tmp_path: Path, sqlite_url: str, content: str | bytes, expected: str
) -> None:
    path = _write(tmp_path, content)
    result = CliRunner().invoke(app, ["--db", sqlite_url, "org", "import", str(path)])
    assert result.exit_code == 1, result.output
    assert expected in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_a_workbook_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    with path.open("wb") as out:
        out.truncate(yamlfile.MAX_FILE_BYTES + 1)
    with pytest.raises(OrgDataError, match=r"big\.xlsx: the file is larger than 10 MB"):
        load_org_file(path)


def test_an_own_template_file_in_utf16_is_read_like_the_organisation_file(tmp_path: Path) -> None:
    (tmp_path / "hjul.yaml").write_bytes(builtin_text("helhedsplan").encode("utf-16"))
    text = _org_text().replace("key: testby", "key: testby\n  template: hjul.yaml")
    loaded = load_org_file(_write(tmp_path, text))
    assert loaded.template_file is not None and loaded.template_file.text.startswith("#")
