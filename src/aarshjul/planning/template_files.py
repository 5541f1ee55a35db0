"""Loading and validating template files, the built-in templates, and the content hash."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import as_file, files
from pathlib import Path

from aarshjul.errors import TemplateError
from aarshjul.planning.template_checks import template_problems
from aarshjul.planning.template_schema import Template
from aarshjul.yamlfile import parse_yaml_text, raise_problems, read_yaml, validate_file

BUILTIN = "aarshjul.data.templates"


def load_template(path: Path) -> Template:
    """Parse and validate ``path`` completely; :class:`TemplateError` lists every problem.

    Each problem names the file, the YAML path, the offending value and the reason, e.g.
    ``helhedsplan.yaml: phases[3].end: value 'strat + 6 weeks': unknown date 'strat'``.
    """
    return _validated(path, read_yaml(path, TemplateError))


def parse_template(text: str, source: str) -> Template:
    """A template from YAML ``text`` (a stored copy); problems name ``source`` like a file."""
    return _validated(Path(source), parse_yaml_text(text, source, TemplateError))


def _validated(path: Path, data: object) -> Template:
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: a template must be a mapping with template, phases, tasks, …")
    template = validate_file(path, Template, data, TemplateError)
    raise_problems(path, [f"{path}: {p}" for p in template_problems(template)], TemplateError)
    template._source = str(path)
    template._hash = template_hash(template)
    return template


def builtin_keys() -> list[str]:
    """Keys of the templates shipped with aarshjul (``helhedsplan``, ``tillaeg``)."""
    folder = files(BUILTIN)
    return sorted(
        item.name.removesuffix(".yaml") for item in folder.iterdir() if item.name.endswith(".yaml")
    )


def load_builtin_template(key: str) -> Template:
    """A template shipped with aarshjul, by key."""
    if key not in builtin_keys():
        known = ", ".join(builtin_keys())
        raise TemplateError(
            f"no built-in template {key!r} (built in: {known}); give a file instead"
        )
    with as_file(files(BUILTIN).joinpath(f"{key}.yaml")) as path:
        template = load_template(path)
    template._source = f"builtin:{key}"
    return template


def is_template_file(file_or_key: str) -> bool:
    """True when ``file_or_key`` names a file (it exists, or ends in .yaml/.yml)."""
    path = Path(file_or_key).expanduser()
    return path.suffix in {".yaml", ".yml"} or path.exists()


def resolve_template_ref(file_or_key: str) -> Template:
    """A template from a file path (if it exists or looks like one) or a built-in key."""
    if is_template_file(file_or_key):
        return load_template(Path(file_or_key).expanduser())
    return load_builtin_template(file_or_key)


def builtin_text(key: str) -> str:
    """The YAML text of a built-in template, for the user to copy (``template export``)."""
    load_builtin_template(key)  # a clear error for an unknown key
    return files(BUILTIN).joinpath(f"{key}.yaml").read_text(encoding="utf-8")


def template_hash(template: Template) -> str:
    """sha256 of the template's normalised content: formatting and comments do not count."""
    normalised = json.dumps(template.model_dump(mode="json", by_alias=True), sort_keys=True)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
