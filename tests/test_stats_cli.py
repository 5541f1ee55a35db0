"""``aarshjul stats`` through the CLI: import, list, fetch (against a local server), chart."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlmodel import Session

from aarshjul.config import get_settings
from aarshjul.db import make_engine
from tests import factories as f
from tests.cli_helpers import run, run_json

SAMPLES = files("aarshjul.data").joinpath("statbank")


def sample_path(table: str) -> str:
    return str(SAMPLES.joinpath(f"{table}_849_opdigtede-tal_invented-numbers.csv"))


def with_org(url: str, code: str | None = "849") -> None:
    engine = make_engine(url)
    with Session(engine) as s:
        f.organisation(s, municipality_code=code)
        s.commit()
    engine.dispose()


@pytest.fixture
def org_url(db_url: str) -> str:
    with_org(db_url)
    return db_url


def test_import_twice_then_list(org_url: str) -> None:
    first = run(
        org_url,
        "stats",
        "import",
        sample_path("BYGV33"),
        "--table",
        "bygv33",
        "--retrieved",
        "2026-11-02",
    )
    assert first.exit_code == 0, first.output + first.stderr
    assert "│ fuldfoerte_boliger  │ 42    │ 0       │ 0         │ 0" in first.stdout
    assert "│ paabegyndte_boliger │ 42    │ 0       │ 0         │ 1" in first.stdout
    again = run(org_url, "stats", "import", sample_path("BYGV33"), "--table", "BYGV33")
    assert again.exit_code == 0
    assert "│ fuldfoerte_boliger  │ 0     │ 0       │ 42        │ 0" in again.stdout
    rows = run_json(org_url, "stats", "list", "--table", "BYGV33")
    assert len(rows) == 84
    assert set(rows[0]) == {
        "table",
        "series",
        "period",
        "value",
        "suppressed",
        "source",
        "retrieved_on",
    }
    gap = next(r for r in rows if r["series"] == "paabegyndte_boliger" and r["period"] == "2016K3")
    assert gap["value"] is None and gap["suppressed"] is True
    assert {r["retrieved_on"] for r in rows} == {"2026-11-02"}  # the re-import kept the first day


def test_list_as_csv_and_as_a_table(org_url: str) -> None:
    assert run(org_url, "stats", "import", sample_path("AUS08"), "-t", "AUS08").exit_code == 0
    csv = run(org_url, "stats", "list", "--format", "csv").stdout.splitlines()
    assert csv[0] == "table,series,period,value,suppressed,source,retrieved_on" and len(csv) == 253
    table = run(org_url, "stats", "list").stdout
    row = next(
        line for line in table.splitlines() if "│ ledighed_pct " in line and "2015M01" in line
    )
    assert "│ 5,0   │ nej" in row  # the table's decimals with a decimal comma; 5.0 in JSON and CSV
    assert "AUS08,ledighed_pct,2015M01,5.0,nej," in "\n".join(csv)


def test_a_broken_file_is_refused_whole(org_url: str, tmp_path: Path) -> None:
    data = Path(sample_path("FOLK1A")).read_bytes().replace(b";2020K3;", b";2020K7;")
    broken = tmp_path / "FOLK1A-broken.csv"
    broken.write_bytes(data)
    result = run(org_url, "stats", "import", str(broken), "--table", "FOLK1A")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "aarshjul: fejl/error: FOLK1A-broken.csv, line 24: TID '2020K7'"
    )
    assert run_json(org_url, "stats", "list") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--table", "FOLK9"], "unknown table 'FOLK9'"),
     ([], "--table is required"),
     (["--table", "BYGV33"], "column KØN is not in the BYGV33 mapping")],
)  # fmt: skip
def test_import_errors(sqlite_url: str, args: list[str], message: str) -> None:
    with_org(sqlite_url)
    result = run(sqlite_url, "stats", "import", sample_path("FOLK1A"), *args)
    assert result.exit_code == 1 and message in result.stderr


def test_an_organisation_without_a_municipality_code_needs_area(sqlite_url: str) -> None:
    with_org(sqlite_url, code=None)
    result = run(sqlite_url, "stats", "import", sample_path("FOLK1A"), "--table", "FOLK1A")
    assert result.exit_code == 1 and "which area? FOLK1A has figures per OMRÅDE" in result.stderr
    assert (
        run(
            sqlite_url, "stats", "import", sample_path("FOLK1A"), "-t", "FOLK1A", "--area", "849"
        ).exit_code
        == 0
    )


def test_fetch_dry_run_prints_the_request(sqlite_url: str) -> None:
    with_org(sqlite_url)
    result = run(sqlite_url, "stats", "fetch", "FOLK1A", "--from", "2015", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        "https://api.statbank.dk/v1/data/FOLK1A/CSV?lang=da&valuePresentation=Code&delimiter=Semicolon"
        "&timeOrder=Ascending&OMR%C3%85DE=849&K%C3%98N=TOT%2C1%2C2&ALDER=IALT&CIVILSTAND=TOT&Tid=%3E%3D2015K1"
    )


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_fetch_without_network_says_what_to_do(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_org(sqlite_url)
    monkeypatch.setenv("AARSHJUL_STATBANK_API_URL", f"http://127.0.0.1:{_closed_port()}/v1")
    get_settings.cache_clear()
    result = run(sqlite_url, "stats", "fetch", "AUS08")
    assert result.exit_code == 1
    assert "cannot reach the StatBank API at 127.0.0.1" in result.stderr
    assert "aarshjul stats import FILE --table AUS08" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.fixture
def statbank(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A local stand-in for api.statbank.dk answering /v1/data/FOLK1A/CSV with the sample."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(unquote(self.path))
            ok = self.path.startswith("/v1/data/FOLK1A/CSV?")
            body = Path(sample_path("FOLK1A")).read_bytes() if ok else b'{"errorTypeCode":"x"}'
            self.send_response(200 if ok else 400)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("AARSHJUL_STATBANK_API_URL", f"http://127.0.0.1:{server.server_port}/v1")
    get_settings.cache_clear()
    yield asked
    server.shutdown()
    server.server_close()


def test_fetch_imports_what_statbank_sends(sqlite_url: str, statbank: list[str]) -> None:
    with_org(sqlite_url)
    result = run(sqlite_url, "stats", "fetch", "FOLK1A", "--from", "2015", "--today", "2026-12-01")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert statbank == [
        "/v1/data/FOLK1A/CSV?lang=da&valuePresentation=Code&delimiter=Semicolon&timeOrder=Ascending"
        "&OMRÅDE=849&KØN=TOT,1,2&ALDER=IALT&CIVILSTAND=TOT&Tid=>=2015K1"
    ]
    rows = run_json(sqlite_url, "stats", "list")
    assert len(rows) == 126 and rows[0]["source"].startswith("http://127.0.0.1:")
    assert {r["retrieved_on"] for r in rows} == {"2026-12-01"}


def test_chart_writes_png_and_svg(sqlite_url: str, tmp_path: Path) -> None:
    with_org(sqlite_url)
    assert run(sqlite_url, "stats", "import", sample_path("FOLK1A"), "-t", "FOLK1A").exit_code == 0
    png, svg = tmp_path / "befolkning.png", tmp_path / "befolkning.svg"
    assert (
        run(sqlite_url, "stats", "chart", "FOLK1A", "--year", "2024", "-o", str(png)).exit_code == 0
    )
    assert png.read_bytes().startswith(b"\x89PNG")
    result = run(sqlite_url, "stats", "chart", "folk1a", "-o", str(svg), "--lang", "en", "--small")
    assert result.exit_code == 0 and "Population on 1 January" in svg.read_text("utf-8")
    wrong = run(sqlite_url, "stats", "chart", "FOLK1A", "-o", str(tmp_path / "x.pdf"))
    assert wrong.exit_code == 1 and "written as .png or .svg" in wrong.stderr


def test_stats_help_lists_the_commands() -> None:
    result = run("sqlite://", "stats", "--help")
    assert result.exit_code == 0
    assert all(name in result.stdout for name in ("import", "list", "fetch", "chart"))
