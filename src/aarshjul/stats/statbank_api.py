"""The StatBank API request for a mapped table, and fetching it with httpx.

Statistics Denmark's API (https://api.statbank.dk/v1, no key) answers
``GET /v1/data/TABLE/CSV?…`` with the same CSV format a download has. :func:`build_request`
asks for one area (``OMRÅDE=849``), the codes the mapping's series use for each variable, and the
periods from ``--from`` on (``Tid=>=2015K1``, StatBank's range syntax) or all (``Tid=*``), with
``lang=da`` (decimal commas, Danish period codes), ``valuePresentation=Code`` (codes, not texts),
``delimiter=Semicolon`` and ``timeOrder=Ascending``. A variable the mapping does not list is left
out, and StatBank eliminates it: it answers with the variable's total. The URL (GET, so it can be
pasted into a browser or recorded as a figure's source) is what :func:`fetch_csv` requests.

Errors are mapped at this seam: no connection, a timeout or an HTTP 5xx raise
:class:`~aarshjul.errors.SourceUnavailable` with the URL to download by hand on a machine with
network; StatBank's own refusal (HTTP 400 with ``{"errorTypeCode": …, "message": …}``, e.g.
``EXTRACT-NOTFOUND`` for an unknown area) raises :class:`~aarshjul.errors.InputError` with its
message. Tests pass an ``httpx.MockTransport`` or a closed local port; they never call the network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aarshjul import __version__
from aarshjul.errors import InputError, SourceUnavailable
from aarshjul.stats.statbank_periods import first_period_code
from aarshjul.stats.table_mappings import TableMapping

if TYPE_CHECKING:
    import httpx

DEFAULT_API_URL = "https://api.statbank.dk/v1"
TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class StatBankRequest:
    """One data request: the table, its query parameters in order, and the full GET URL."""

    table: str
    params: tuple[tuple[str, str], ...]
    url: str


def build_request(
    mapping: TableMapping,
    *,
    area: str | None,
    from_year: int | None = None,
    api_url: str = DEFAULT_API_URL,
) -> StatBankRequest:
    """The CSV request for ``mapping``'s series in ``area`` from ``from_year`` (all periods if None).

    >>> build_request(load_mapping("BYGV33"), area="849", from_year=2015).url  # doctest: +SKIP
    'https://api.statbank.dk/v1/data/BYGV33/CSV?lang=da&valuePresentation=Code&…&OMR%C3%85DE=849&BYGFASE=2%2C3&Tid=%3E%3D2015K1'
    """
    import httpx

    params: list[tuple[str, str]] = [
        ("lang", "da"),
        ("valuePresentation", "Code"),
        ("delimiter", "Semicolon"),
        ("timeOrder", "Ascending"),
    ]
    if mapping.area:
        if not area:
            raise InputError(
                f"which area? {mapping.table} has figures per {mapping.area}: pass --area "
                "(e.g. 849) or set municipality_code in the organisation file"
            )
        params.append((mapping.area, area))
    params += [(name, ",".join(codes)) for name, codes in mapping.request_values().items()]
    since = f">={first_period_code(mapping.period, from_year)}" if from_year else "*"
    params.append(("Tid", since))
    url = httpx.URL(f"{api_url.rstrip('/')}/data/{mapping.table}/CSV", params=params)
    return StatBankRequest(mapping.table, tuple(params), str(url))


def fetch_csv(
    request: StatBankRequest,
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> bytes:
    """The body StatBank answers ``request`` with: a whole CSV file, as bytes.

    Raises :class:`SourceUnavailable` (no network, timeout, HTTP 5xx) or :class:`InputError`
    (StatBank refused the request), each naming the URL.
    """
    import httpx

    headers = {"User-Agent": f"aarshjul/{__version__}", "Accept": "text/csv"}
    try:
        with httpx.Client(transport=transport, timeout=timeout, headers=headers) as client:
            response = client.get(request.url, follow_redirects=True)
    except httpx.TimeoutException as exc:
        raise SourceUnavailable(_unreachable(request, f"no answer within {timeout:g} s")) from exc
    except httpx.TransportError as exc:
        raise SourceUnavailable(_unreachable(request, str(exc) or type(exc).__name__)) from exc
    body = response.content
    if response.status_code >= 500:
        raise SourceUnavailable(_unreachable(request, f"HTTP {response.status_code}"))
    if response.status_code >= 400 or body.lstrip(b"\xef\xbb\xbf \r\n").startswith(b"{"):
        raise InputError(_refusal(request, response.status_code, body))
    return body


def _unreachable(request: StatBankRequest, reason: str) -> str:
    host = request.url.split("/")[2] if "://" in request.url else request.url
    return (
        f"cannot reach the StatBank API at {host} ({reason}). Without network here, download "
        f"{request.url} on a machine with internet and run "
        f"`aarshjul stats import FILE --table {request.table}`"
    )


def _refusal(request: StatBankRequest, status: int, body: bytes) -> str:
    try:
        answer = json.loads(body.decode("utf-8-sig"))
        detail = f"{answer.get('errorTypeCode', 'error')}: {answer.get('message', '')}".strip()
    except (ValueError, AttributeError):
        detail = body[:200].decode("utf-8", "replace").strip() or "no explanation"
    return (
        f"StatBank refused the request for {request.table} (HTTP {status}: {detail}); "
        f"the request was {request.url}"
    )
