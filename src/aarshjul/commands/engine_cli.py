"""``aarshjul serve|deploy|tick|report|demo|simulate``: running the engine's flows.

Prefect is imported inside the command functions only (after the environment that tells it where
its server is has been set), so every other command starts without it. ``tick`` and ``report``
run their flow in this process and hand it the command's runtime context; ``serve`` configures
the runner's flow subprocesses through their environment.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from aarshjul.commands import cli_state as common
from aarshjul.commands.cli_state import YEAR_RANGE, TodayOption
from aarshjul.commands.output import console, markup, shares, to_json, to_table
from aarshjul.errors import InputError

if TYPE_CHECKING:
    from aarshjul.config import Settings
    from aarshjul.runtime import Runtime

DeliverOption = Annotated[
    bool | None,
    typer.Option(
        "--deliver/--no-deliver",
        help="Send the outbox afterwards. Default: yes, except on a previewed day (--today or "
        "AARSHJUL_TODAY other than today), which is shown but not written or sent.",
    ),
]
PREVIEW_NOTE = (
    "Forhåndsvisning af en anden dag end i dag: intet er skrevet eller sendt; brug --deliver for "
    "at køre dagen for alvor (preview: nothing was written or sent; --deliver runs it for real)."
)


def _prefect_target(settings: Settings) -> str:
    """Where one-off runs go: ``PREFECT_API_URL``, a running ``aarshjul serve``, or a temporary
    Prefect server on the embedded database (slower to start, same run history).

    Prefect reads its own configuration from the environment, so that is where it is set.
    """
    from aarshjul.supervisor import QUIET_ENV, prefect_home, served_api_url

    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    if os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
        return os.environ.get("PREFECT_API_URL", "the configured Prefect API")
    url = served_api_url(settings)
    if url:
        os.environ["PREFECT_API_URL"] = url
        return url
    os.environ.setdefault("PREFECT_HOME", str(prefect_home(settings)))
    return "a temporary local Prefect server"


@contextmanager
def _in_process(today: str | None) -> Iterator[tuple[Runtime, str | None]]:
    """The command's runtime, handed to the flow it runs in this process (not via os.environ),
    and the previewed day (``--today`` or ``AARSHJUL_TODAY``) as the flow's parameter."""
    with common.runtime(today) as rt:
        from aarshjul.flows.flow_context import provided_runtime

        fixed = rt.clock.fixed_today
        with provided_runtime(rt):
            yield rt, fixed.isoformat() if fixed else None


def _org_and_zone() -> tuple[str, str]:
    with common.org_session() as (_, org):
        return org.key, org.timezone


def serve() -> None:
    """Run the engine on this machine: a local Prefect server plus the three scheduled flows.

    Starts `prefect server start` on 127.0.0.1 (SQLite under the data folder) unless
    PREFECT_API_URL points at a server, then serves tick (workdays 07:00), the board report
    (Mondays 08:00) and next year's planning (1 December), and the web app on
    AARSHJUL_WEB_HOST:AARSHJUL_WEB_PORT (127.0.0.1:8000). Ctrl-C stops it; restarting is safe.

    Example: `aarshjul serve`
    """
    from aarshjul import supervisor as served

    # Ctrl-C must stop us even when started from a shell that ignores SIGINT for background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with common.runtime() as rt, rt.session() as session:
        org = rt.organisation(session)
        org_key, zone = org.key, org.timezone
    # The runner starts each flow run in a subprocess, which reads its settings from the
    # environment: that is how the database and organisation chosen here reach it.
    os.environ["AARSHJUL_DATABASE_URL"] = common.STATE.url()
    os.environ.setdefault("AARSHJUL_ORGANISATION", org_key)
    settings = rt.settings
    server = served.use_prefect(settings)
    api = os.environ["PREFECT_API_URL"]
    served.write_state(settings, server, api)
    ui = server.ui_url if server else api.removesuffix("/api")
    typer.echo(f"Prefect UI: {ui}  (API {api})")
    if server is not None:
        typer.echo(f"Prefect server log: {server.log_path}")
    web = _start_web(settings)
    try:
        with suppress(KeyboardInterrupt):  # Ctrl-C is how serve stops (exit 0), wherever it lands
            served.serve_forever(org_key, zone)
    finally:
        web.should_exit = True
        if server is not None:
            server.stop()
        typer.echo("aarshjul serve stopped.")


def _start_web(settings: Any) -> Any:
    """The web app beside the engine (AARSHJUL_WEB_HOST/_PORT), in a thread of this process."""
    from aarshjul.commands.web_cli import start_in_thread

    web, _ = start_in_thread(settings.web_host, settings.web_port)
    typer.echo(f"Web: http://{settings.web_host}:{settings.web_port}")
    return web


def deploy(
    pool: Annotated[str, typer.Option("--pool", help="Prefect work pool (created if missing).")],
) -> None:
    """Register the three deployments with their schedules on a Prefect server's work pool.

    Needs PREFECT_API_URL. Start workers with `prefect worker start --pool NAME` on any
    machine with aarshjul installed and AARSHJUL_DATABASE_URL set.

    Example: `PREFECT_API_URL=http://prefect:4200/api aarshjul deploy --pool aarshjul`
    """
    if not os.environ.get("PREFECT_API_URL"):
        raise InputError("deploy needs PREFECT_API_URL (the Prefect server to register with)")
    org_key, zone = _org_and_zone()
    from aarshjul.flows.deployments import apply_to_pool, build, schedules

    names = apply_to_pool(build(organisation=org_key, timezone=zone, work_pool=pool), pool)
    crons = schedules()
    for name in names:
        typer.echo(f"{name}: '{crons[name.split('/')[0]]}' ({zone}) on pool {pool!r}")


def tick(today: TodayOption = None, deliver: DeliverOption = None) -> None:
    """Run today's tick once, through Prefect: phases, digests, escalations, delivery.

    With --today (or AARSHJUL_TODAY) on another day than today it is a preview: shown, not
    written or sent, unless --deliver is given.

    Example: `aarshjul tick --today 2027-03-01`
    """
    with _in_process(today) as (rt, day):
        typer.echo(f"Prefect: {_prefect_target(rt.settings)}")
        from aarshjul.flows.tick import tick as tick_flow

        result = tick_flow(today=day, deliver_mail=deliver)
    _print_tick(result)


def _print_tick(result: dict[str, Any]) -> None:
    out = console()
    phases, digests = result["phases"], result["digests"]
    out.print(f"[bold]{markup(result['organisation'])}[/bold] · {result['day']}")
    out.print(f"Faser åbnet (opened): {markup(', '.join(phases['opened']) or '-')}")
    out.print(f"Faser lukket (closed): {markup(', '.join(phases['closed']) or '-')}")
    for phase, open_tasks in phases["flagged"].items():
        out.print(f"  [yellow]![/yellow] {markup(phase)} lukket med {open_tasks} åbne opgaver")
    if digests["skipped"]:
        out.print(f"Lukket dag ({digests['skipped']}): ingen sammendrag.")
    out.print(f"Sammendrag skrevet: {digests['added']}; eskaleringer: {len(digests['escalated'])}")
    if result["delivery"]:
        d = result["delivery"]
        out.print(f"Levering: {d['sent']} sendt, {d['failed']} fejlet, "
                  f"{d['undeliverable']} uden kanal (bliver i udbakken, se `aarshjul outbox`)")  # fmt: skip
    if not result["written"]:
        out.print(PREVIEW_NOTE)


def report(
    today: TodayOption = None,
    deliver: DeliverOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Run the weekly board report once, through Prefect, and print it.

    With --today on another day than today it is a preview: printed, not queued or sent,
    unless --deliver is given.

    Example: `aarshjul report --today 2027-09-06 --no-deliver`
    """
    with _in_process(today) as (rt, day):
        _prefect_target(rt.settings)
        from aarshjul.flows.weekly_report import board_report

        result = board_report(today=day, deliver_mail=deliver)
    if as_json:
        print(to_json(result))
        return
    _print_report(result)


def _print_report(result: dict[str, Any]) -> None:
    out = console()
    out.print(f"[bold]{markup(result['organisation'])}[/bold] · {result['today']} · "
              f"{result['percent']} % udført · {result['totals']['overdue']} over fristen")  # fmt: skip
    columns = ["name", "status", "done", "open", "overdue", "elapsed", "completion"]
    phases = [p | shares(p["elapsed"], p["percent"]) for p in result["phases"]]
    out.print(to_table(phases, columns, "Faser"))
    out.print(to_table(result["overdue"], ["id", "title", "owner_email", "due", "workdays_late"],
                       "Over fristen"))  # fmt: skip
    _print_report_tail(out, result)
    out.print(f"Sendt til direktionen: {result['queued']} rapport(er) i udbakken")
    if not result["written"]:
        out.print(PREVIEW_NOTE)


def _print_report_tail(out: Any, result: dict[str, Any]) -> None:
    """What the mail has besides phases and the overdue list: goals by status (as `status`
    prints them), statutory milestones at risk, the planning report's inputs."""
    goals = ", ".join(f"{k}: {v}" for k, v in sorted((result.get("goals") or {}).items()))
    goals = goals or "ingen"
    out.print(f"Mål efter status: {markup(goals)}")
    risks = [
        {"name": m["name"], "date": m["date"], "passed": m["passed"],
         "late_tasks": ", ".join(f"#{i}" for i in m["late_task_ids"])}
        for m in result.get("milestones_at_risk") or []
    ]  # fmt: skip
    if risks:
        out.print(to_table(risks, None, "Lovbundne milepæle i fare (statutory milestones at risk)"))
    inputs = result.get("report_inputs")
    if inputs:
        out.print(
            f"Planredegørelse {inputs['year']}: {inputs['goals_reported']} af "
            f"{inputs['goals_due']} mål med statusrapport, {inputs['sections_written']} af "
            f"{inputs['sections_total']} afsnit skrevet"
        )


def demo(
    today: TodayOption = None,
    history: Annotated[
        bool,
        typer.Option(
            "--history/--no-history",
            help="Mark about 90 % of the tasks due before today as done (synthetic history).",
        ),
    ] = True,
) -> None:
    """Show the engine at work: sample organisation, this year's plan, today's tick, status.

    Mail goes to the outbox when no mail server (AARSHJUL_MAIL_URL) is configured.

    Example: `aarshjul demo`
    """
    from aarshjul.commands.listings import status
    from aarshjul.commands.setup import init

    init(sample=True)
    with common.runtime(today) as rt:
        with rt.session() as session:
            day = rt.today(rt.organisation(session))
        _demo_plan(rt, day, history)
        port = rt.settings.prefect_port
    tick(today=day.isoformat(), deliver=True)
    status(year=day.year, today=day.isoformat())
    typer.echo(
        "\nNæste skridt / next: `aarshjul serve` kører motoren efter planen (runs the engine on "
        f"its schedule); open the Prefect UI at http://127.0.0.1:{port}"
    )


def _demo_plan(rt: Runtime, day: date, history: bool) -> None:
    from aarshjul.engine.demo_history import fill_history
    from aarshjul.engine.next_year import plan_next_year

    previous_year = day.replace(year=day.year - 1, day=min(day.day, 28))
    outcome = plan_next_year(rt, today=previous_year, actor=common.actor())
    typer.echo(f"Plan {outcome.year}: {outcome.error or outcome.summary.splitlines()[0]}")
    if history:
        done = fill_history(rt, today=day)
        typer.echo(f"Demo-historik: {done} opgaver med frist før i dag markeret som udført "
                   "af deres ejere (synthetic history; --no-history to skip)")  # fmt: skip


def simulate(
    year: Annotated[int, typer.Argument(help="The year to simulate.", **YEAR_RANGE)],
    completion_rate: Annotated[
        float, typer.Option("--completion-rate", min=0.0, max=1.0, help="Share of tasks done.")
    ] = 0.9,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (repeatable).")] = None,
    template: Annotated[
        str | None, typer.Option("--template", help="Plan from this template (key or file).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Simulate a year of daily ticks on a copy of the database; nothing is sent or kept.

    Example: `aarshjul simulate 2027 --completion-rate 0.8 --seed 1`
    """
    from aarshjul.engine.simulation import simulate_year
    from aarshjul.memory import collector_paused

    with common.runtime() as rt, collector_paused():
        result = simulate_year(
            rt, year=year, completion_rate=completion_rate, seed=seed, template=template
        )
    if as_json:
        print(to_json(result.as_dict()))
        return
    _print_simulation(result.as_dict())


def _print_simulation(r: dict[str, Any]) -> None:
    out = console()
    out.print(f"[bold]Simulering {markup(r['organisation'])} {r['year']}[/bold] "
              f"(completion {r['completion_rate']:.0%}, seed {r['seed']})")  # fmt: skip
    if r["planned"]:
        out.print(f"Planlagt i kopien / planned in the copy: {r['planned']}")
    ppw = r["per_person_week"]
    out.print(f"{r['workdays']} arbejdsdage, {r['tasks']} opgaver, {r['completed']} udført, "
              f"{r['open_at_year_end']} åbne ved årets udgang")  # fmt: skip
    out.print(f"Beskeder / messages: {r['messages']}; pr. person pr. uge: gns. {ppw['mean']}, "
              f"maks. {ppw['max']} ({ppw['people']} personer)")  # fmt: skip
    out.print(to_table(r["busiest"], ["person", "week", "messages"], "Travleste uger"))
    esc = r["escalations"]
    out.print(f"Eskaleringer / escalations: {esc['steps']} trin for {esc['tasks']} opgaver "
              f"(højeste trin / highest step {esc['max_step']})")  # fmt: skip
    out.print(
        f"Forsinkede milepæle / late milestones: {markup(', '.join(r['late_milestones']) or '-')}"
    )
    out.print(f"Faser lukket med åbne opgaver: {markup(', '.join(r['flagged_phases']) or '-')}")
