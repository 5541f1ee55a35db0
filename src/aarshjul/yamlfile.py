"""Reading YAML input files with errors that name the file, the YAML path and the reason."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from aarshjul.errors import InputError

M = TypeVar("M", bound=BaseModel)


class _Loader(yaml.SafeLoader):
    """The safe loader, except that an impossible unquoted date (``2027-13-07``) stays text, so
    validation names the field instead of the parser failing with a bare ``ValueError``."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _load(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects


def read_yaml(path: Path, error: type[InputError]) -> Any:
    """Parse ``path``; a missing file or a syntax error raises ``error`` naming line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(
            f"cannot read the file: {exc.strerror}",
            reason_da=f"filen kan ikke læses: {exc.strerror}",
            file=path,
        ) from exc
    try:
        return _load(text)
    except yaml.YAMLError as exc:
        raise error(_yaml_problem(exc), file=path) from exc


def parse_yaml_text(text: str, name: str, error: type[InputError]) -> Any:
    """Parse YAML ``text`` read from ``name`` (a file, a stored copy); errors as :func:`read_yaml`."""
    try:
        return _load(text)
    except yaml.YAMLError as exc:
        raise error(f"{name}: {_yaml_problem(exc)}") from exc


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return f"not valid YAML: {problem}"
    return f"line {mark.line + 1}, column {mark.column + 1}: not valid YAML: {problem}"


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
