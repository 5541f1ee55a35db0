"""Signing in with OpenID Connect against a real provider (Authlib's server side, in-process):
discovery, authorization code with PKCE and nonce, an RS256 ID token checked by Authlib's client,
people matched by e-mail case-insensitively."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from aarshjul.models import AccessEvent, WebSession
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider
from tests.web_support import WebWorld, build_world

BASE = "http://testserver"


@pytest.fixture
def world(db_url: str, tmp_path: Path, oidc_provider: Provider) -> Iterator[WebWorld]:
    oidc_provider.redirect_uri = f"{BASE}/auth/oidc/callback"
    w = build_world(
        db_url, tmp_path, base_url=BASE, oidc_issuer=oidc_provider.issuer,
        oidc_client_id=CLIENT_ID, oidc_client_secret=CLIENT_SECRET, oidc_label="Testlogin",
    )  # fmt: skip
    yield w
    w.runtime.close()


def _round_trip(client: TestClient) -> httpx.Response:
    """Login page → provider (signs the chosen user in) → our callback."""
    assert "Log ind med Testlogin" in client.get("/login").text
    to_provider = client.get("/login/oidc")
    assert to_provider.status_code in (302, 303, 307)
    location = to_provider.headers["location"]
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and "nonce" in query and "state" in query
    back = httpx.get(location, follow_redirects=False, timeout=10)  # the browser at the provider
    assert back.status_code == 302, back.text
    callback = back.headers["location"]
    assert callback.startswith(f"{BASE}/auth/oidc/callback?code=")
    return client.get(callback.removeprefix(BASE))


def test_oidc_signs_in_the_person_with_that_e_mail(
    world: WebWorld, oidc_provider: Provider
) -> None:
    oidc_provider.user_email = "ANNE@example.DK"
    client = world.client()
    signed = _round_trip(client)
    assert signed.status_code == 303 and signed.headers["location"] == "/tasks"
    assert "HttpOnly" in signed.headers["set-cookie"]
    page = client.get("/tasks")
    assert page.status_code == 200 and "Anne Kjær" in page.text
    with Session(world.runtime.engine) as s:
        session = s.exec(select(WebSession)).one()
        event = s.exec(select(AccessEvent).where(AccessEvent.kind == "signed_in")).one()
    assert session.method == "oidc" and session.person_id == world.people["anne"].id
    assert event.person_id == world.people["anne"].id and event.method == "oidc"


def test_unknown_e_mail_is_refused(world: WebWorld, oidc_provider: Provider) -> None:
    oidc_provider.user_email = "stranger@example.org"
    client = world.client()
    refused = _round_trip(client)
    assert refused.status_code == 403 and "ingen e-mailadresse" in refused.text
    assert client.get("/tasks").status_code == 303
    with Session(world.runtime.engine) as s:
        assert s.exec(select(WebSession)).all() == []
        assert s.exec(select(AccessEvent.kind)).all() == ["oidc_refused"]


def test_a_forged_callback_is_refused(world: WebWorld, oidc_provider: Provider) -> None:
    oidc_provider.user_email = "anne@example.dk"
    client = world.client()
    client.get("/login/oidc")
    forged = client.get("/auth/oidc/callback?code=made-up&state=made-up")
    assert forged.status_code == 303 and forged.headers["location"].startswith("/login")
    assert client.get("/tasks").status_code == 303
