"""Loading and validating an organisation file, and the shipped sample organisation."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from aarshjul.errors import OrgDataError
from aarshjul.org.org_schema import OrgFile
from aarshjul.org.references import reference_problems
from aarshjul.yamlfile import raise_problems, read_yaml, validate_file


def load_org_file(path: Path) -> OrgFile:
    """Parse and validate ``path`` completely; raises :class:`OrgDataError` listing every problem."""
    data = read_yaml(path, OrgDataError)
    if not isinstance(data, dict):
        raise OrgDataError(f"{path}: the file must be a mapping with organisation, people, …")
    org = validate_file(path, OrgFile, data, OrgDataError)
    raise_problems(path, [f"{path}: {p}" for p in reference_problems(org)], OrgDataError)
    return org


def load_sample_org() -> OrgFile:
    """The sample organisation shipped with aarshjul (modelled on Jammerbugt Kommune)."""
    with as_file(files("aarshjul.data").joinpath("sample_org.yaml")) as path:
        return load_org_file(path)
