"""Our own rule on top of apprise's privacy rendering of a channel URL (*maskering*).

apprise masks what each plugin declares private (a password, a token), but a generic webhook
(``json://``, ``xml://``, ``form://``) often carries its secret in the *path*
(``/api/webhooks/123/AbCdEf…``), an ``Authorization`` header (``?+Authorization=Bearer …``) or a
query parameter, which apprise shows as given. :func:`mask_rest` takes apprise's privacy URL and
also masks

* every path segment or user name that looks like a token: at least 8 characters with letters
  and digits, at least 10 with upper and lower case inside the word, or at least 16 characters;
* the value of every header (``+Name``), GET parameter (``-name``) and payload field
  (``:name``), and of any parameter whose name says secret, token, key, password, auth,
  signature, code, session or hash.

What apprise already masked (``****``, ``a...f``) stays as it is. Masking too much only makes a
URL harder to recognise; masking too little puts a secret on a screen, in a log or in an export.

>>> mask_rest("json://hooks.example.org/api/webhooks/123/AbCdEfSecret?%2BAuthorization=Bearer+x")
'json://hooks.example.org/api/webhooks/123/****?%2BAuthorization=****'
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

MASK = "****"
_SECRET_NAME = re.compile(
    r"(secret|token|key|pass|pwd|auth|sig|code|session|cookie|hash|cred|bearer|access)",
    re.IGNORECASE,
)
_TOKEN_CHARS = re.compile(r"^[\w\-+=~%.:]+$")


def looks_secret(segment: str) -> bool:
    """True for a path segment or user name that reads like a token rather than a word."""
    text = unquote(segment)
    if not text or MASK in text or "..." in text:
        return False  # empty, or apprise masked it already
    has_digit, has_letter = any(c.isdigit() for c in text), any(c.isalpha() for c in text)
    mixed = any(c.isupper() for c in text[1:]) and any(c.islower() for c in text)
    return bool(_TOKEN_CHARS.match(text)) and (
        (len(text) >= 8 and has_digit and has_letter) or (len(text) >= 10 and mixed)
        or len(text) >= 16
    )  # fmt: skip


def _secret_parameter(name: str) -> bool:
    # A raw "+Header" reads as " Header" in a query string: the same header.
    return name[:1] in "+-: " or bool(_SECRET_NAME.search(name))


def mask_rest(url: str) -> str:
    """``url`` (apprise's privacy form) with tokens in the path, user name and query masked."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user, sep, password = userinfo.partition(":")
        user = MASK if looks_secret(user) else user
        netloc = f"{user}{sep}{password}@{host}"
    path = "/".join(MASK if looks_secret(seg) else seg for seg in parts.path.split("/"))
    query = [
        (name, MASK if value and _secret_parameter(name) else value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    masked = parts._replace(netloc=netloc, path=path, query=urlencode(query, safe="*"))
    return urlunsplit(masked)


def mask_unknown(url: str) -> str:
    """A URL apprise does not know: only its scheme is shown."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    return f"{quote(scheme, safe='')}://{MASK}"
