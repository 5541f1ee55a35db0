"""A real OpenID Connect provider for tests, built from Authlib's server side.

It runs in a thread on 127.0.0.1 (``wsgiref``), publishes discovery and JWKS documents, issues
authorization codes (with PKCE) and RS256-signed ID tokens, and signs in one test user without
a login form: the person the test chooses (``provider.user_email``). Our app talks to it through
Authlib's client exactly as it would to Entra ID or Keycloak: nothing of our client is mocked.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Payload, OAuth2Request, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey

CLIENT_ID, CLIENT_SECRET = "aarshjul-test", "s3cret-test"


@dataclass
class Client(ClientMixin):  # type: ignore[misc]
    redirect_uri: str

    def get_client_id(self) -> str:
        return CLIENT_ID

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, CLIENT_SECRET)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    email: str

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return int(time.time())

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None

    def get_code_challenge(self) -> str | None:
        return self.code_challenge

    def get_code_challenge_method(self) -> str | None:
        return self.code_challenge_method


@dataclass
class User:
    email: str

    def get_user_id(self) -> str:
        return f"sub-{self.email}"


class _Payload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, values: dict[str, list[str]]) -> None:
        self._values = values

    @property
    def data(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._values.items()}

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return defaultdict(list, self._values)


class _Request(OAuth2Request):  # type: ignore[misc]
    def __init__(self, environ: dict[str, Any], values: dict[str, list[str]]) -> None:
        host = environ["HTTP_HOST"]
        query = environ.get("QUERY_STRING", "")
        uri = f"http://{host}{environ['PATH_INFO']}" + (f"?{query}" if query else "")
        headers = {
            k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        super().__init__(environ["REQUEST_METHOD"], uri, headers=headers)
        self._args = {k: v[0] for k, v in parse_qs(query).items()}
        self._form = (
            {k: v[0] for k, v in values.items()} if environ["REQUEST_METHOD"] == "POST" else {}
        )
        self.payload = _Payload(values)

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


@dataclass
class Provider:
    """The running provider; ``user_email`` is who signs in at ``/authorize`` next."""

    port: int
    redirect_uri: str
    user_email: str = ""
    email_claim: str = "email"
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    codes: dict[str, Code] = field(default_factory=dict)
    server: AuthorizationServer = field(init=False)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __post_init__(self) -> None:
        provider = self

        class _Server(AuthorizationServer):  # type: ignore[misc]
            def query_client(self, client_id: str) -> Client | None:
                return Client(provider.redirect_uri) if client_id == CLIENT_ID else None

            def save_token(self, token: dict[str, Any], request: Any) -> None:
                pass

            def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
                return status, body, headers

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                pass

            def create_oauth2_request(self, request: _Request) -> _Request:
                return request  # already built from the WSGI environ

        class _Code(grants.AuthorizationCodeGrant):  # type: ignore[misc]
            TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = [
                "client_secret_basic",
                "client_secret_post",
            ]

            def save_authorization_code(self, code: str, request: Any) -> None:
                data = request.payload.data
                provider.codes[code] = Code(
                    code, data["redirect_uri"], data.get("scope", ""), data.get("nonce"),
                    data.get("code_challenge"), data.get("code_challenge_method"),
                    request.user.email,
                )  # fmt: skip

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                return provider.codes.get(code)

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: Code) -> User:
                return User(authorization_code.email)

        class _OpenID(OpenIDCode):  # type: ignore[misc]
            def exists_nonce(self, nonce: str, request: Any) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client: Client) -> RSAKey:
                return provider.key

            def get_client_algorithm(self, client: Client) -> str:
                return "RS256"

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                return {"iss": provider.issuer, "aud": [CLIENT_ID]}

            def get_encode_header(self, client: Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": "k1"}

            def generate_user_info(self, user: User, scope: str) -> UserInfo:
                info = UserInfo(sub=user.get_user_id(), name="Test User")
                if provider.email_claim and user.email:
                    info[provider.email_claim] = user.email
                return info

        server = _Server(scopes_supported=["openid", "email", "profile"])
        server.register_token_generator(
            "default", BearerTokenGenerator(lambda *a, **k: secrets.token_urlsafe(24))
        )
        server.register_grant(_Code, [_OpenID(require_nonce=True), CodeChallenge(required=True)])
        self.server = server

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }  # fmt: skip

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        body = b""
        if method == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        values = (
            parse_qs(environ.get("QUERY_STRING", ""))
            if method == "GET"
            else parse_qs(body.decode())
        )
        if path == "/.well-known/openid-configuration":
            status, payload, headers = 200, self.metadata(), []
        elif path == "/jwks":
            status, payload, headers = 200, {"keys": [self.key.as_dict(private=False)]}, []
        elif path == "/authorize":
            request, user = _Request(environ, values), User(self.user_email)
            grant = self.server.get_consent_grant(request=request, end_user=user)
            status, payload, headers = self.server.create_authorization_response(
                request, grant_user=user, grant=grant
            )
        elif path == "/token":
            status, payload, headers = self.server.create_token_response(_Request(environ, values))
        else:
            status, payload, headers = 404, {"error": "not found"}, []
        data = (
            json.dumps(payload).encode() if isinstance(payload, dict) else (payload or "").encode()
        )
        reason = {
            200: "OK",
            302: "Found",
            400: "Bad Request",
            401: "Unauthorized",
            404: "Not Found",
        }
        start_response(
            f"{status} {reason.get(status, 'Other')}",
            [("Content-Type", "application/json"), *list(headers)],
        )
        return [data]


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def oidc_provider() -> Iterator[Provider]:
    """A provider on a free port of 127.0.0.1 (``redirect_uri`` set by the test)."""
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on the loopback, server side
    httpd: WSGIServer = make_server(
        "127.0.0.1", 0, lambda e, s: provider.wsgi(e, s), handler_class=_Quiet
    )
    provider = Provider(port=httpd.server_port, redirect_uri="")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        httpd.shutdown()
        httpd.server_close()
        os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
