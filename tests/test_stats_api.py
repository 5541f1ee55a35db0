"""The StatBank API request and its errors. Nothing here reaches the network.

The happy path and StatBank's refusals go through ``httpx.MockTransport`` (the network is the one
thing that cannot run here); a refused connection is real, against a closed port on this machine.
"""

from __future__ import annotations

import json
import socket
from importlib.resources import files
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from aarshjul.errors import InputError, SourceUnavailable
from aarshjul.stats.statbank_api import build_request, fetch_csv
from aarshjul.stats.table_mappings import load_mapping

SAMPLE = files("aarshjul.data").joinpath(
    "statbank", "FOLK1A_849_opdigtede-tal_invented-numbers.csv"
)


def query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def test_the_request_for_each_table() -> None:
    folk = build_request(load_mapping("FOLK1A"), area="849", from_year=2015)
    assert folk.url == (
        "https://api.statbank.dk/v1/data/FOLK1A/CSV?lang=da&valuePresentation=Code"
        "&delimiter=Semicolon&timeOrder=Ascending&OMR%C3%85DE=849&K%C3%98N=TOT%2C1%2C2"
        "&ALDER=IALT&CIVILSTAND=TOT&Tid=%3E%3D2015K1"
    )
    housing = build_request(load_mapping("BYGV33"), area="849", from_year=2015)
    assert query(housing.url)[-3:] == [("OMRÅDE", "849"), ("BYGFASE", "2,3"), ("Tid", ">=2015K1")]
    jobs = build_request(load_mapping("AUS08"), area="849", from_year=2016)
    assert query(jobs.url)[-2:] == [("SAESONFAK", "9,22"), ("Tid", ">=2016M01")]


def test_without_from_every_period_and_another_api_url() -> None:
    request = build_request(load_mapping("FOLK1A"), area="101", api_url="http://127.0.0.1:8000/v1/")
    assert request.url.startswith("http://127.0.0.1:8000/v1/data/FOLK1A/CSV?")
    assert ("Tid", "*") in query(request.url) and ("OMRÅDE", "101") in query(request.url)


def test_a_table_with_areas_needs_an_area() -> None:
    with pytest.raises(InputError, match="which area"):
        build_request(load_mapping("FOLK1A"), area=None)


def test_the_csv_comes_back_as_the_bytes_statbank_sent() -> None:
    seen: list[httpx.Request] = []

    def statbank(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, content=SAMPLE.read_bytes(), headers={"Content-Type": "text/csv"}
        )

    request = build_request(load_mapping("FOLK1A"), area="849", from_year=2015)
    assert fetch_csv(request, transport=httpx.MockTransport(statbank)) == SAMPLE.read_bytes()
    assert str(seen[0].url) == request.url and seen[0].method == "GET"
    assert seen[0].headers["User-Agent"].startswith("aarshjul/")


def test_statbank_refusing_the_request_is_an_input_error() -> None:
    answer = {
        "errorTypeCode": "EXTRACT-NOTFOUND",
        "message": "Kan ikke finde værdien: 999 (OMRÅDE)",
    }
    transport = httpx.MockTransport(
        lambda r: httpx.Response(400, content=json.dumps(answer).encode())
    )
    request = build_request(load_mapping("FOLK1A"), area="999")
    with pytest.raises(InputError) as caught:
        fetch_csv(request, transport=transport)
    message = str(caught.value)
    assert "refused the request for FOLK1A (HTTP 400: EXTRACT-NOTFOUND: Kan ikke finde" in message
    assert "værdien: 999 (OMRÅDE))" in message
    assert request.url in message


def test_an_error_in_a_200_answer_is_not_taken_for_figures() -> None:
    body = b'\xef\xbb\xbf{"errorTypeCode":"REQUEST-LIMIT","message":"for mange celler"}'
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=body))
    with pytest.raises(InputError, match="REQUEST-LIMIT: for mange celler"):
        fetch_csv(build_request(load_mapping("FOLK1A"), area="849"), transport=transport)


def test_a_server_error_is_a_source_unavailable() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(503, text="Service Unavailable"))
    with pytest.raises(SourceUnavailable, match=r"api.statbank.dk \(HTTP 503\)"):
        fetch_csv(build_request(load_mapping("FOLK1A"), area="849"), transport=transport)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_connection_says_how_to_import_by_hand() -> None:
    request = build_request(
        load_mapping("BYGV33"), area="849", api_url=f"http://127.0.0.1:{_closed_port()}/v1"
    )
    with pytest.raises(SourceUnavailable) as caught:
        fetch_csv(request, timeout=5)
    message = str(caught.value)
    assert message.startswith("cannot reach the StatBank API at 127.0.0.1:")
    assert "Connection refused" in message
    assert f"download {request.url} on a machine with internet" in message
    assert message.endswith("`aarshjul stats import FILE --table BYGV33`")


@pytest.mark.parametrize(
    ("error", "reason"),
    [(httpx.ConnectError("[Errno -3] Temporary failure in name resolution"),
      r"\[Errno -3\] Temporary failure in name resolution"),
     (httpx.ReadTimeout("timed out"), "no answer within 60 s")],
)  # fmt: skip
def test_no_network_and_a_timeout(error: Exception, reason: str) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise error

    with pytest.raises(
        SourceUnavailable, match=f"api.statbank.dk \\({reason}\\)\\. Without network"
    ):
        fetch_csv(
            build_request(load_mapping("AUS08"), area="849"), transport=httpx.MockTransport(offline)
        )
