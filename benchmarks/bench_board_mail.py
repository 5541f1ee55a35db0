"""Benchmark: what the inline wheel adds to the weekly board report, per run and per mail.

    python benchmarks/bench_board_mail.py [--db URL] [--runs 5]

Builds the sample municipality as it stands in May 2027 (``tests/report_scenario.py``: the 2027
wheel planned, four ``direktion`` members). Then ``--runs`` times each, in a fresh session that is
rolled back: the **floor** — the report's numbers alone (:func:`board_report`) — queuing the
report without the picture (rendering four mails, inserting four rows), the wheel as the mail's
PNG (values, a 1,600-pixel PNG, its 256-colour palette; once per run), and queuing with it
(storing the picture once, pointing the rows at it). Then building one mail as the SMTP channel
sends it, without and with the picture, and sending it to a local SMTP server (aiosmtpd on
127.0.0.1). Prints medians with the range, the added cost and the sizes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from aarshjul.db import make_engine, upgrade
from aarshjul.engine.board_report import board_report
from aarshjul.engine.report_run import MAIL_PNG_SCALE, board_wheel_png
from aarshjul.notifications.board_mail import queue_board_report, render_board_report
from aarshjul.notifications.inline_images import InlineImage, compact_png, content_id, image_key
from aarshjul.notifications.smtp_channel import smtp_channel
from aarshjul.wheel.wheel_export import render
from aarshjul.wheel.wheel_service import wheel_data

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import bench_reports
from tests.report_scenario import TODAY, build_report_world
from tests.smtp import SmtpServer, free_port


def measure(label: str, runs: int, work: Callable[[], object]) -> float:
    return bench_reports.measure(label, runs, work, width=52, decimals=1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    engine = make_engine(args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        org = build_report_world(session).org
    assert org.id is not None
    org_id = org.id
    backend = engine.url.get_backend_name()
    print(f"database: {backend}; sample municipality, 4 direktion members; "
          f"median of {args.runs} runs (range)")  # fmt: skip
    with Session(engine) as session:
        report = board_report(session, organisation=org, today=TODAY)
        png = board_wheel_png(session, organisation=org, year=report.year, today=TODAY)
    assert png is not None

    def numbers() -> object:
        with Session(engine) as session:
            return board_report(session, organisation=org, today=TODAY)

    def wheel() -> object:
        with Session(engine) as session:
            return board_wheel_png(session, organisation=org, year=report.year, today=TODAY)

    def queue(picture: bytes | None) -> Callable[[], object]:
        def work() -> object:
            with Session(engine) as session:
                added = queue_board_report(
                    session, organisation_id=org_id, report=report, wheel_png=picture
                )
                session.rollback()
            assert len(added) == 4
            return added

        return work

    floor = measure("floor: the report's numbers (board_report)", args.runs * 4, numbers)
    plain = measure("queue 4 mails without the wheel", args.runs * 4, queue(None))
    drawn = measure("the wheel as the mail's PNG (once per run)", args.runs, wheel)
    with Session(engine) as session:
        values = wheel_data(session, organisation=org, year=report.year, today=TODAY)
    full = render(values, "png", scale=MAIL_PNG_SCALE)
    measure(f"  of which the 256-colour palette ({len(full) / 1000:.0f} kB before)", args.runs,
            lambda: compact_png(full))  # fmt: skip
    stored = measure("queue 4 mails with the wheel (stored once)", args.runs * 4, queue(png))
    added = drawn + stored - plain
    print(f"added per report run: {added * 1000:.0f} ms "
          f"({(floor + drawn + stored) / (floor + plain):.1f}x the run without it); "
          f"PNG {len(png) / 1000:.0f} kB")  # fmt: skip
    _mails(report, png, args.runs)
    engine.dispose()


def _mails(report: object, png: bytes, runs: int) -> None:
    """One mail built as the SMTP channel sends it, and sent to a local server, without and
    with the picture."""
    server = SmtpServer(port=free_port())
    server.start()
    try:
        url = f"mailto://127.0.0.1:{server.port}?from=aarshjul@jammerbugt.example&name=Årshjul"
        channel = smtp_channel(url)
        assert channel is not None
        sha = image_key(png)
        rendered = render_board_report(report, "da", 1, image_sha256=sha)  # type: ignore[arg-type]
        picture = InlineImage(content_id(sha), png, filename="aarshjul-2027.png")
        at = datetime(2027, 5, 3, 6, tzinfo=UTC)
        recipient = "anne.kjaer@jammerbugt.example"
        for label, images in (("without", ()), ("with", (picture,))):
            data = channel._message(  # the bytes the channel sends
                recipient, rendered.subject, rendered.text, rendered.html, at, images
            )
            measure(f"build one mail {label} the wheel ({len(data) / 1000:.0f} kB)", runs * 20,
                    lambda i=images: channel._message(recipient, rendered.subject, rendered.text,
                                                      rendered.html, at, i))  # fmt: skip
            measure(f"send one mail {label} the wheel over SMTP", runs * 4,
                    lambda i=images: channel.send(recipient, rendered.subject, rendered.text,
                                                  rendered.html, at, images=i))  # fmt: skip
        channel.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
