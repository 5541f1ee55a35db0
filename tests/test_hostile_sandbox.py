"""Issue 13, kind 11: an organisation's own message templates run in Jinja's sandbox.

A template in ``AARSHJUL_TEMPLATE_DIR`` ran a shell command and put the Fernet key and the mail
password into subjects. Operators own that folder, but communication staff edit the texts in it:
their templates see only the documented variables, never Python internals, settings or secrets.
The built-in templates keep their fast path, byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from aarshjul.config import Settings
from aarshjul.errors import TemplateError
from aarshjul.notifications import compose_digests
from aarshjul.notifications.rendering import TemplateSet, render
from tests.notify_scenario import FRIDAY, build

KEY = "uN6hOtbr3AQO0dgVgzyEzTu8RqUaPVqYi2bT5HtUN0Y="
MAIL = "mailto://bot:MailPassw0rd@smtp.example.dk:2525?from=aarshjul@example.dk"

ATTACKS = [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ self.__init__.__globals__.__builtins__['__import__']('os').system('touch MARKER') }}",
    "{{ person.__class__.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ today.__class__.__subclasses__() }}",
    "{{ ('%c' * 1000000000) }}",
    "{% for i in range(10**9) %}x{% endfor %}",
]


def _folder(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "templates" / "da" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return tmp_path / "templates"


def _settings(folder: Path) -> Settings:
    return Settings(template_dir=folder, mail_url=MAIL, secret_key=KEY)  # type: ignore[arg-type]


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_organisation_template_cannot_escape_the_sandbox(
    session: Session, tmp_path: Path, attack: str
) -> None:
    marker = tmp_path / "pwned"
    folder = _folder(tmp_path, "digest.subject.j2", attack.replace("MARKER", str(marker)))
    sc = build(session)
    with pytest.raises(TemplateError, match=r"message template .*digest\.subject\.j2"):
        compose_digests(
            session, organisation=sc.org, today=FRIDAY, dry_run=True, settings=_settings(folder)
        )
    assert not marker.exists()


def test_settings_and_secrets_are_not_in_the_context(session: Session, tmp_path: Path) -> None:
    names = ["settings", "config", "secret_key", "mail_url", "environ", "os", "get_settings"]
    probe = " ".join(f"{n}={{{{ {n} is defined }}}}" for n in names)
    folder = _folder(tmp_path, "digest.subject.j2", probe + " {{ person.name }} {{ count }}")
    sc = build(session)
    result = compose_digests(
        session, organisation=sc.org, today=FRIDAY, dry_run=True, settings=_settings(folder)
    )
    subjects = [d.subject for d in result.digests]
    assert subjects and all("True" not in s for s in subjects)
    everything = "".join(d.subject + d.text + d.html for d in result.digests)
    assert "MailPassw0rd" not in everything and KEY not in everything


def test_the_documented_variables_still_work_in_the_sandbox(
    session: Session, tmp_path: Path
) -> None:
    folder = _folder(
        tmp_path,
        "digest.txt.j2",
        "Hej {{ person.name }} ({{ count }}): {% for t in due %}{{ t.title }} "
        "{{ t.due | long_date(locale) }}; {% endfor %}{{ today | long_date(locale) }}\n",
    )
    _folder(tmp_path, "digest_item.txt.j2", "* {{ t.title | upper }} ({{ t.workdays_left }})\n")
    sc = build(session)
    result = compose_digests(
        session, organisation=sc.org, today=FRIDAY, dry_run=True, settings=_settings(folder)
    )
    anne = next(d for d in result.digests if d.email == "anne@example.dk")
    assert anne.text.startswith("Hej Anne")
    assert "fredag den 15. oktober 2027" in anne.text


def test_an_organisation_template_may_extend_a_built_in_one(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        "sign_in.subject.j2",
        "{% extends 'builtin/da/sign_in.subject.j2' %}",
    )
    context = {"person": {"name": "Palle"}, "minutes": 15, "url": "https://x.example/login/t"}
    plain = render("sign_in", "da", context)
    assert render("sign_in", "da", context, folder).subject == plain.subject


def test_a_template_that_extends_itself_is_a_message(tmp_path: Path) -> None:
    name = "sign_in.subject.j2"
    folder = _folder(tmp_path, name, f"{{% extends 'da/{name}' %}}")
    context = {"person": {"name": "Palle"}, "minutes": 15, "url": "https://x.example/login/t"}
    with pytest.raises(TemplateError, match="in a loop"):
        render("sign_in", "da", context, folder)


def test_built_in_templates_render_byte_identical_with_and_without_a_folder(
    session: Session, tmp_path: Path
) -> None:
    """Only the files in the folder are sandboxed: the built-in fast path is unchanged."""
    folder = _folder(tmp_path, "unrelated.txt.j2", "x")
    sc = build(session)
    plain = compose_digests(session, organisation=sc.org, today=FRIDAY, dry_run=True)
    with_folder = compose_digests(
        session, organisation=sc.org, today=FRIDAY, dry_run=True, settings=_settings(folder)
    )
    assert [(d.subject, d.text, d.html) for d in plain.digests] == [
        (d.subject, d.text, d.html) for d in with_folder.digests
    ]
    assert not TemplateSet("digest", "da", ("txt",), folder)._templates["txt"].environment.sandboxed


@pytest.mark.parametrize("body", ["{{ 1 / 0 }}", "{{ person.name + 1 }}", "{{ '%d' % 'x' }}"])
def test_a_template_that_fails_while_rendering_is_a_message(
    session: Session, tmp_path: Path, body: str
) -> None:
    folder = _folder(tmp_path, "digest.subject.j2", body)
    sc = build(session)
    with pytest.raises(TemplateError, match=r"digest\.subject\.j2: \w+"):
        compose_digests(
            session, organisation=sc.org, today=FRIDAY, dry_run=True, settings=_settings(folder)
        )
