"""Signing in with OpenID Connect (Entra ID, Keycloak, …) through Authlib.

Configured by ``AARSHJUL_OIDC_ISSUER``, ``_CLIENT_ID``, ``_CLIENT_SECRET`` and
``_EMAIL_CLAIM`` (default ``email``; Entra ID often needs ``preferred_username`` or ``upn``).
Authlib reads the provider's discovery document, sends the person there with ``state``,
``nonce`` and PKCE, and on the way back exchanges the code and validates the ID token (issuer,
audience, signature, expiry, nonce). The claim is then matched to a person by e-mail,
case-insensitively. Authlib keeps ``state`` and ``nonce`` in a short-lived signed cookie.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from aarshjul.access.board_access import landing_page
from aarshjul.access.sign_in import sign_in_with_claims
from aarshjul.config import Settings
from aarshjul.web.context import Page, client_of, config, page
from aarshjul.web.login import set_session_cookie

router = APIRouter()
NAME = "oidc"


def make_client(settings: Settings) -> Any:
    """Authlib's Starlette client for the configured provider, or None when none is set."""
    if not (settings.oidc_issuer and settings.oidc_client_id):
        return None
    from authlib.integrations.starlette_client import OAuth

    secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
    oauth = OAuth()
    issuer = settings.oidc_issuer.rstrip("/")
    oauth.register(
        NAME, client_id=settings.oidc_client_id, client_secret=secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
    )  # fmt: skip
    return oauth.create_client(NAME)


@router.get("/login/oidc")
async def start(request: Request) -> Response:
    """Send the browser to the provider."""
    client = config(request).oidc
    if client is None:
        return RedirectResponse("/login", status_code=303)
    redirect_uri = f"{config(request).public_url}/auth/oidc/callback"
    response: Response = await client.authorize_redirect(request, redirect_uri)
    return response


@router.get("/auth/oidc/callback", name="oidc_callback")
async def callback(request: Request) -> Response:
    """Validate the provider's answer (Authlib), then sign the matched person in."""
    from authlib.integrations.base_client import OAuthError

    cfg = config(request)
    if cfg.oidc is None:
        return RedirectResponse("/login", status_code=303)
    try:
        token = await cfg.oidc.authorize_access_token(request)
    except OAuthError:
        return RedirectResponse("/login?oidc=failed", status_code=303)
    claims = dict(token.get("userinfo") or {})
    return await run_in_threadpool(_sign_in, request, claims)


def _sign_in(request: Request, claims: dict[str, Any]) -> Response:
    with config(request).runtime.session() as session:
        return _session_for(page(request, session), claims)


def _session_for(current: Page, claims: dict[str, Any]) -> Response:
    cfg = current.cfg
    settings = cfg.runtime.settings
    found = sign_in_with_claims(
        current.session, org=current.org, claims=claims, email_claim=settings.oidc_email_claim,
        now=current.now, client=client_of(current.request), hours=settings.session_hours,
    )  # fmt: skip
    if found is None:
        return current.render(
            "link_problem.html", status_code=403,
            message=current.t("oidc_refused", name=settings.oidc_label),
        )  # fmt: skip
    response = RedirectResponse(landing_page(current.session, found[0]), status_code=303)
    set_session_cookie(response, cfg, found[1])
    return response
