"""``aarshjul wheel`` on the sample organisation: SVG, PNG and PDF files that show something, the
public edition without people, clear errors. The rendered pictures are kept under
``tests/artifacts/`` (or ``$AARSHJUL_ARTIFACTS``) for a person to look at."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageStat

from aarshjul.clock import Clock
from aarshjul.commands import cli_state
from aarshjul.config import Settings, get_settings
from aarshjul.db import make_engine
from aarshjul.engine.demo_history import fill_history
from aarshjul.runtime import Runtime
from tests import wheel_svg as sv
from tests.cli_helpers import run

ARTIFACTS = Path(os.environ.get("AARSHJUL_ARTIFACTS") or Path(__file__).parent / "artifacts")
SAMPLE = Path(__file__).parent.parent / "src/aarshjul/data/sample_org.yaml"
TODAY = "2027-06-14"


def _sample(folder: Path, template: Path, history_until: date) -> str:
    """The sample organisation with 2027 and 2028 planned, an addendum, and 90 % of the tasks
    due before ``history_until`` done (the demo's synthetic history)."""
    shutil.copy(template, folder / "aarshjul.db")
    url = f"sqlite:///{folder}/aarshjul.db"
    with pytest.MonkeyPatch.context() as mp:
        for name in [n for n in os.environ if n.startswith("AARSHJUL_")]:
            mp.delenv(name)
        mp.setenv("AARSHJUL_DATA_DIR", str(folder))
        mp.setattr(cli_state, "STATE", cli_state.CliState())
        get_settings.cache_clear()
        for args in (
            ["init", "--sample"], ["plan", "2027"], ["plan", "2028"],
            ["start", "tillaeg", "--title", "Tillæg 3: Solceller ved Fjerritslev",
             "--start", "2027-03-01"],
        ):  # fmt: skip
            result = run(url, *args)
            assert result.exit_code == 0, result.output + result.stderr
        runtime = Runtime(
            settings=Settings(), engine=make_engine(url),
            clock=Clock(fixed_today=history_until),
        )  # fmt: skip
        fill_history(runtime, today=history_until)
        runtime.close()
        get_settings.cache_clear()
    return url


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> str:
    """The sample organisation as of 14 June 2027."""
    return _sample(tmp_path_factory.mktemp("wheel"), _sqlite_template, date(2027, 6, 14))


@pytest.fixture(scope="module")
def autumn_db(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> str:
    """The sample organisation as of 15 November 2027, in its school year 2027/28."""
    return _sample(tmp_path_factory.mktemp("autumn"), _sqlite_template, date(2027, 11, 15))


def _keep(path: Path, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, ARTIFACTS / name)


def _assert_not_blank(png: Path) -> None:
    with Image.open(png) as opened:
        image = opened.convert("L")
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 25, f"{png} looks blank (pixel spread {stat.stddev[0]:.1f})"
    histogram = image.histogram()
    ink = sum(histogram[:245]) / (image.width * image.height)
    assert ink > 0.1, f"{png}: only {ink:.1%} of the pixels are drawn"


@pytest.mark.parametrize(
    ("db", "args", "name"),
    [("sample_db", [], "wheel-2027-da"),
     ("sample_db", ["--lang", "en"], "wheel-2027-en"),
     ("autumn_db", ["--start-month", "8", "--today", "2027-11-15"], "wheel-2027-28-school-year-da")],
)  # fmt: skip
def test_png_of_the_sample_year_shows_the_wheel(
    request: pytest.FixtureRequest, tmp_path: Path, db: str, args: list[str], name: str
) -> None:
    out = tmp_path / f"{name}.png"
    url = request.getfixturevalue(db)
    result = run(url, "wheel", "2027", "--today", TODAY, "-o", str(out), *args)
    assert result.exit_code == 0, result.output + result.stderr
    assert f"Wrote {out}" in result.stdout
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(out) as image:
        assert image.width == 3200  # twice the picture's 1600 units
    _assert_not_blank(out)
    _keep(out, f"{name}.png")


def test_pdf_is_one_a4_page_that_shows_the_wheel(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "wheel.pdf"
    result = run(sample_db, "wheel", "2027", "--today", TODAY, "--public", "-o", str(out))
    assert result.exit_code == 0, result.output + result.stderr
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.MULTILINE) and "(A4)" in info.stdout
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(out), str(tmp_path / "page")],
                   check=True)  # fmt: skip
    _assert_not_blank(tmp_path / "page.png")
    _keep(out, "wheel-2027-public-da.pdf")
    _keep(tmp_path / "page.png", "wheel-2027-public-da-pdf-page.png")


def test_svg_on_stdout_is_the_same_for_the_same_day(sample_db: str, tmp_path: Path) -> None:
    first = run(sample_db, "wheel", "2027", "--today", TODAY)
    again = run(sample_db, "wheel", "2027", "--today", TODAY)
    later = run(sample_db, "wheel", "2027", "--today", "2027-06-15")
    assert first.exit_code == again.exit_code == 0, first.stderr
    assert first.stdout == again.stdout != later.stdout
    root = sv.parse(first.stdout)
    # helhedsplan (2027 is the term's second year: 12 phases + the planning strategy debate) and the
    # addendum
    assert len(sv.find_class(root, "wheel-phase")) == 13 + 4
    (tmp_path / "wheel.svg").write_text(first.stdout, encoding="utf-8")
    _keep(tmp_path / "wheel.svg", "wheel-2027-da.svg")


def test_public_edition_names_no_person_and_no_address(sample_db: str) -> None:
    result = run(sample_db, "wheel", "2027", "--today", TODAY, "--public")
    assert result.exit_code == 0, result.stderr
    people = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["people"]
    assert len(people) > 10
    found = [p["name"] for p in people if p["name"] in result.stdout]
    found += [p["email"] for p in people if p["email"] in result.stdout]
    assert found == []
    assert "@" not in result.stdout and "opgaver" not in result.stdout
    internal = run(sample_db, "wheel", "2027", "--today", TODAY).stdout
    assert any(p["name"] in internal for p in people)  # the internal edition names the owners


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["2027", "-o", "wheel.gif"], 1, "unknown picture format '.gif'"),
        (["2031"], 1, "plan it first with `aarshjul plan 2031`"),
        (["2027", "--start-month", "13"], 2, "--start-month"),
        (["2027", "-o", "/nonexistent-folder/wheel.svg"], 1, "/nonexistent-folder/wheel.svg"),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(
    sample_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int,
    message: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = run(sample_db, "wheel", *args, "--today", TODAY)
    assert result.exit_code == code
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []
