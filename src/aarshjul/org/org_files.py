"""Loading and validating an organisation file, and the shipped sample organisation."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import as_file, files
from pathlib import Path

from aarshjul.errors import OrgDataError
from aarshjul.org.org_schema import OrgFile, TemplateFile
from aarshjul.org.references import horizon_warnings, reference_problems
from aarshjul.yamlfile import check_size, raise_problems, read_text, read_yaml, validate_file


def load_org_file(path: Path) -> OrgFile:
    """Parse and validate ``path`` completely; raises :class:`OrgDataError` listing every problem."""
    locate: Callable[[str], str] = _as_is
    if path.suffix.lower() == ".xlsx":
        from aarshjul.org.workbook import read_workbook

        check_size(path, OrgDataError)
        data, locate = read_workbook(path)
    else:
        data = read_yaml(path, OrgDataError)
    if not isinstance(data, dict):
        raise OrgDataError(f"{path}: the file must be a mapping with organisation, people, …")
    try:
        org = validate_file(path, OrgFile, data, OrgDataError)
    except OrgDataError as exc:
        raise _located(path, exc.problems, locate) from exc
    problems = [f"{path}: {locate(p)}" for p in reference_problems(org)]
    raise_problems(path, problems, OrgDataError)
    org._template_file = _template_file(path, org.organisation.template)
    org._locate = locate
    return org


def _as_is(problem: str) -> str:
    return problem


def _located(path: Path, problems: list[str], locate: Callable[[str], str]) -> OrgDataError:
    prefix = f"{path}: "
    moved = [prefix + locate(p.removeprefix(prefix)) for p in problems]
    head = f"{path}: {len(moved)} error(s)"
    return OrgDataError("\n".join([head, *(f"  {p}" for p in moved)]), problems=moved)


def _template_file(path: Path, ref: str) -> TemplateFile | None:
    """The template file ``organisation.template`` names (relative to ``path``), validated."""
    from aarshjul.errors import TemplateError
    from aarshjul.planning.template_files import load_template

    if not ref.endswith((".yaml", ".yml")):
        return None
    file = (path.parent / ref).expanduser()
    try:
        template = load_template(file)
        text = read_text(file, TemplateError)
    except TemplateError as exc:
        problems = [f"{path}: organisation.template: value {ref!r}: {p}" for p in exc.problems]
        raise OrgDataError("\n".join(problems), problems=problems) from exc
    return TemplateFile(template, text, str(file))


def check_horizons(path: Path, data: OrgFile, *, strict: bool = False) -> list[str]:
    """The goals whose horizon does not fit their level (see
    :func:`~aarshjul.org.references.horizon_warnings`): returned as warnings, or raised as one
    :class:`OrgDataError` naming every goal when ``strict``."""
    warnings = [f"{path}: {data.locate(line)}" for line in horizon_warnings(data)]
    if strict:
        raise_problems(path, warnings, OrgDataError)
    return warnings


def load_sample_org() -> OrgFile:
    """The sample organisation shipped with aarshjul (modelled on Jammerbugt Kommune)."""
    with as_file(files("aarshjul.data").joinpath("sample_org.yaml")) as path:
        return load_org_file(path)
