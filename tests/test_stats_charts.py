"""Charts of key figures: produced, not blank, labelled right, the same bytes every time.

The PNGs are saved under ``tests/artifacts/stats`` (or ``$AARSHJUL_ARTIFACTS/stats``) to be looked at.
"""

from __future__ import annotations

import io
import itertools
import os
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from importlib.resources import files
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session

from aarshjul.db import make_engine
from aarshjul.stats.figure_store import SeriesFigures, TableFigures, import_figures, table_figures
from aarshjul.stats.stat_charts import ACCENT, chart_png, chart_svg
from aarshjul.stats.table_mappings import load_mapping
from tests import factories as f

SAMPLES = files("aarshjul.data").joinpath("statbank")
TABLES = ("FOLK1A", "BYGV33", "AUS08")
SVG = "{http://www.w3.org/2000/svg}"


def artifacts() -> Path:
    folder = (
        Path(os.environ.get("AARSHJUL_ARTIFACTS") or Path(__file__).parent / "artifacts") / "stats"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TableFigures]:
    """The three samples imported once into a SQLite file, read back per table."""
    from aarshjul.db import upgrade

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('charts')}/charts.db")
    upgrade(engine)
    out = {}
    with Session(engine) as s:
        org = f.organisation(s, municipality_code="849")
        for table in TABLES:
            name = f"{table}_849_opdigtede-tal_invented-numbers.csv"
            import_figures(
                s, organisation=org, data=SAMPLES.joinpath(name).read_bytes(), source=name,
                mapping=load_mapping(table), area=None, retrieved_on=date(2026, 11, 30),
                now=datetime(2026, 11, 30, tzinfo=UTC),
            )  # fmt: skip
            assert org.id is not None
            out[table] = table_figures(s, organisation_id=org.id, mapping=load_mapping(table))
    engine.dispose()
    return out


def ink(png: bytes) -> tuple[tuple[int, int], float, int]:
    """Size, share of pixels that are not white, and pixels in the accent colour."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    total = image.size[0] * image.size[1]
    counts = {colour: n for n, colour in image.getcolors(maxcolors=total) or []}
    accent = tuple(int(ACCENT[i : i + 2], 16) for i in (1, 3, 5))
    drawn = total - counts.get((255, 255, 255), 0)
    return image.size, drawn / total, counts.get(accent, 0)


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize(("lang", "small"), [("da", False), ("en", True)])
def test_each_chart_is_drawn_and_not_blank(
    figures: dict[str, TableFigures], table: str, lang: str, small: bool
) -> None:
    png = chart_png(figures[table], year=2024, lang=lang, small=small)
    (artifacts() / f"{table.lower()}-{lang}{'-small' if small else ''}.png").write_bytes(png)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    size, drawn, accent = ink(png)
    assert size == ((708, 384) if small else (945, 510))
    assert 0.04 < drawn < 0.6  # lines, bars and text, on a white page
    assert accent > 40  # the focus year stands out


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


def test_the_svg_has_danish_labels_and_numbers(figures: dict[str, TableFigures]) -> None:
    svg = chart_svg(figures["FOLK1A"], year=2024)
    texts = svg_texts(svg)
    population = figures["FOLK1A"].series["befolkning"].year(2024)
    assert population is not None and population.value is not None
    value = f"{population.value:,.0f}".replace(",", ".")
    assert "Befolkning pr. 1. januar" in texts and value in texts and "personer" in texts
    assert any(t.startswith(f"2024: {value} · ") and t.endswith("fra 2023") for t in texts)
    assert any("opdigtede-tal_invented-numbers.csv" in t for t in texts)  # the source says invented
    assert "<dc:date>" not in svg
    root = ET.fromstring(svg)
    title = root.find(f"{SVG}title")
    assert root.get("role") == "img" and title is not None
    assert title.text is not None and title.text.startswith(
        f"Befolkning pr. 1. januar. 2024: {value} · "
    )


def test_a_rate_is_written_with_a_decimal_comma_and_compared_in_points(
    figures: dict[str, TableFigures],
) -> None:
    texts = svg_texts(chart_svg(figures["AUS08"], year=2024))
    subtitle = next(t for t in texts if t.startswith("2024: "))
    assert "," in subtitle.split(" · ")[0] and subtitle.endswith("procentpoint fra 2023")
    assert "Ledighed, årsgennemsnit" in texts and "pct. af arbejdsstyrken" in texts


def test_value_ticks_are_written_exactly(figures: dict[str, TableFigures]) -> None:
    for table in TABLES:
        root = ET.fromstring(chart_svg(figures[table], year=2024))
        labels = [
            "".join(t.itertext()).strip()
            for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("ytick_")
            for t in g.iter(f"{SVG}text")
        ]  # fmt: skip
        values = [float(v.replace(".", "").replace(",", ".")) for v in labels]
        steps = {round(b - a, 6) for a, b in itertools.pairwise(values)}
        assert len(values) >= 3 and len(steps) == 1, (table, labels)  # evenly spaced, none rounded


def test_a_partial_year_is_starred_and_explained(figures: dict[str, TableFigures]) -> None:
    texts = svg_texts(chart_svg(figures["BYGV33"]))
    assert "2025*" in texts and "* 2025 foreløbigt (1.\u20132. kvt.)" in texts
    assert any(t.startswith("2024: ") for t in texts)  # the latest complete year is the focus
    english = svg_texts(chart_svg(figures["AUS08"], lang="en"))
    assert "* 2025 preliminary (Jan\u2013Jun)" in english


def test_the_same_figures_give_the_same_bytes(figures: dict[str, TableFigures]) -> None:
    for table in TABLES:
        assert chart_png(figures[table], year=2024) == chart_png(figures[table], year=2024)
        assert chart_svg(figures[table], year=2024) == chart_svg(figures[table], year=2024)


def test_a_table_without_figures_says_so() -> None:
    empty = TableFigures(
        load_mapping("BYGV33"), {"fuldfoerte_boliger": SeriesFigures("fuldfoerte_boliger", (), ())}
    )
    texts = svg_texts(chart_svg(empty))
    assert "Ingen tal endnu: importér dem med aarshjul stats import" in texts
    assert ink(chart_png(empty))[1] > 0.005
