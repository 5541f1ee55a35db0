"""Reading YAML input files with errors that name the file, the YAML path and the reason.

Input files come from people, some careless and a few hostile, so the loader is bounded before
anything is validated (issue 13):

* a file larger than :data:`MAX_FILE_BYTES` (10 MB) is refused before it is read whole;
* the text must be UTF-8 (or UTF-16/32 with a byte-order mark); a wrong byte is named by line and
  column;
* nesting deeper than :data:`MAX_DEPTH` (64) levels is refused while parsing, never a
  ``RecursionError``;
* aliases (``*name``) may repeat at most :data:`MAX_ALIAS_VALUES` (100,000) values in all, so a
  342-byte alias bomb is refused in milliseconds; an alias inside its own anchor is refused;
* a key that appears twice in one mapping is an error naming both lines (a merge key ``<<`` may
  be overridden, as YAML intends);
* an impossible unquoted date (``2027-02-30``) stays text, so validation names the field; an
  integer too long to convert is a message.

Only YAML's safe types are built (never arbitrary objects). libyaml's C parser is used where
PyYAML has it, with the checks above in the composer.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import Mark, MarkedYAMLError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from aarshjul.errors import InputError

M = TypeVar("M", bound=BaseModel)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_VALUES = 100_000
_MERGE = "tag:yaml.org,2002:merge"


class LimitError(MarkedYAMLError):
    """A file that is valid YAML but beyond what aarshjul reads (depth, aliases, duplicates)."""


class _Checks:
    """Composer and constructor checks shared by the C and the pure-Python loader."""

    anchors: dict[str, Node]

    def _start_checks(self) -> None:
        self._depth = 0
        self._alias_values = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):  # type: ignore[attr-defined]
            return self._alias(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[attr-defined]
            raise LimitError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
        try:
            node: Node = super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1
        self._sizes[id(node)] = 1 + sum(self._sizes.get(id(child), 1) for child in _children(node))
        return node

    def _alias(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()  # type: ignore[attr-defined]
        node: Node = super().compose_node(parent, index)  # type: ignore[misc]
        size = self._sizes.get(id(node))
        if size is None:
            problem = f"the alias *{event.anchor} refers to itself (inside its own anchor)"
            raise LimitError(None, None, problem, event.start_mark)
        self._alias_values += size
        if self._alias_values > MAX_ALIAS_VALUES:
            problem = (
                f"aliases (*name) repeat more than {MAX_ALIAS_VALUES:,} values in all; "
                "write the values out or use fewer aliases"
            )
            raise LimitError(None, None, problem, event.start_mark)
        return node

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            self._refuse_duplicates(node)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc,no-any-return]

    def _refuse_duplicates(self, node: MappingNode) -> None:
        seen: dict[Any, Mark] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node)  # type: ignore[attr-defined]
            try:
                first = seen.setdefault(key, key_node.start_mark)
            except TypeError:  # unhashable: the constructor says so itself
                continue
            if first is not key_node.start_mark:
                problem = f"duplicate key {key_node.value!r} (first at line {first.line + 1})"
                raise LimitError(None, None, problem, key_node.start_mark)

    def construct_yaml_int(self, node: ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)  # type: ignore[misc,no-any-return]
        except ValueError as exc:
            problem = f"an integer too long to read ({len(node.value)} characters)"
            raise ConstructorError(None, None, problem, node.start_mark) from exc

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        # An impossible unquoted date (2027-02-30) stays text: validation names the field.
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[misc]
        except (ValueError, OverflowError):
            return self.construct_scalar(node)  # type: ignore[attr-defined]


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


class _Constructor(_Checks, SafeConstructor):
    pass


for _tag, _method in (("int", "construct_yaml_int"), ("timestamp", "construct_yaml_timestamp")):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", getattr(_Constructor, _method))


class _PyLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _Constructor,
                Composer, Resolver):  # fmt: skip
    """The pure-Python safe loader with the checks (where PyYAML has no libyaml)."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        Composer.__init__(self)
        _Constructor.__init__(self)
        Resolver.__init__(self)
        self._start_checks()


@lru_cache(maxsize=1)
def loader_class() -> type:
    """libyaml's parser with Python's composer (for the checks), else the pure-Python loader."""
    if not getattr(yaml, "__with_libyaml__", False):
        return _PyLoader
    from yaml._yaml import CParser

    # The checks (through _Constructor) come first, then Python's composer, then libyaml's parser.
    class _CLoader(_Constructor, Composer, CParser, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            _Constructor.__init__(self)
            Resolver.__init__(self)
            self._start_checks()

    return _CLoader


def _load(text: str) -> Any:
    loader = loader_class()(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _decode(data: bytes, name: str, error: type[InputError]) -> str:
    """UTF-8, or UTF-16/32 when a byte-order mark says so; a wrong byte is named."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                label = codec.upper().removesuffix("-SIG")
                raise error(
                    f"{name}: not {label} text from byte {exc.start}: {exc.reason}"
                ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(
            f"{name}: line {line}, column {column}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from exc


def _too_big(name: str) -> str:
    return f"{name}: the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"


def read_limited(path: Path, error: type[InputError]) -> bytes:
    """The bytes of ``path``, at most :data:`MAX_FILE_BYTES`; a clear ``error`` otherwise."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise error(_too_big(str(path)))
    return data


def check_size(path: Path, error: type[InputError]) -> None:
    """Refuse a file (e.g. a workbook) larger than :data:`MAX_FILE_BYTES` before opening it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise error(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise error(_too_big(str(path)))


def read_text(path: Path, error: type[InputError]) -> str:
    """The text of ``path`` with the same limits and decoding as :func:`read_yaml`."""
    return _decode(read_limited(path, error), str(path), error)


def read_yaml(path: Path, error: type[InputError]) -> Any:
    """Parse ``path``; a missing file or a syntax error raises ``error`` naming line and column."""
    return _parse(read_text(path, error), str(path), error)


def parse_yaml_text(text: str, name: str, error: type[InputError]) -> Any:
    """Parse YAML ``text`` read from ``name`` (a file, a stored copy); errors as :func:`read_yaml`."""
    if len(text) > MAX_FILE_BYTES or len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise error(_too_big(name))
    return _parse(text, name, error)


def _parse(text: str, name: str, error: type[InputError]) -> Any:
    try:
        return _load(text)
    except yaml.YAMLError as exc:
        raise error(_yaml_problem(exc), file=name) from exc


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    what = (
        problem if isinstance(exc, LimitError | ConstructorError) else f"not valid YAML: {problem}"
    )
    if mark is None:
        return what
    return f"line {mark.line + 1}, column {mark.column + 1}: {what}"


def yaml_path(loc: Sequence[int | str]) -> str:
    """``("people", 3, "email")`` → ``people[3].email``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def validation_problems(path: Path, exc: ValidationError) -> list[str]:
    """One line per pydantic error: ``file: yaml.path: value 'x': reason``."""
    problems = []
    for err in exc.errors():
        where = yaml_path([p for p in err["loc"] if not _is_union_tag(p)])
        value = "" if err["type"] == "missing" else f"value {_short(err.get('input'))}: "
        problems.append(f"{path}: {where}: {value}{_reason(err)}")
    return problems


def _is_union_tag(part: int | str) -> bool:
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _reason(err: Any) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown field"
    if err["type"] == "missing":
        return "required field is missing"
    return str(err["msg"]).removeprefix("Value error, ")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_file(path: Path, model: type[M], data: Any, error: type[InputError]) -> M:
    """Validate parsed YAML against ``model``; all problems are raised together."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(path, exc)
        raise error(_summary(path, problems), problems=problems) from exc


def _summary(path: Path, problems: list[str]) -> str:
    head = f"{path}: {len(problems)} error(s)"
    return "\n".join([head, *(f"  {p}" for p in problems)])


def raise_problems(path: Path, problems: list[str], error: type[InputError]) -> None:
    """Raise ``error`` listing ``problems`` if there are any."""
    if problems:
        raise error(_summary(path, problems), problems=problems)
