"""Rule kinds, waivers, severities and the shipped Danish rule set."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from aarshjul.calendar.danish_rules import DANISH_RULES, bind_rule, danish_rule
from aarshjul.calendar.meetings import MeetingPlan, MeetingSeries
from aarshjul.calendar.rules import RuleSpec, Violation, Waiver, check_rules
from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.errors import CalendarError, RuleViolation
from aarshjul.planning.template_rules import raise_blocking

CAL = WorkCalendar(closures=("optional",))

GOOD_2026 = {
    "accounts_to_auditors": date(2026, 4, 23),
    "audit_report": date(2026, 6, 11),
    "accounts_approved": date(2026, 8, 27),
    "budget_proposal_to_kb": date(2026, 9, 2),
    "budget_1st_reading": date(2026, 9, 10),
    "budget_2nd_reading": date(2026, 10, 8),
    "plan_hearing.start": date(2026, 9, 1),
    "plan_hearing.end": date(2026, 10, 27),
    "plan_adoption": date(2026, 11, 26),
    "kb_agenda": date(2026, 10, 23),
    "kb_meeting": date(2026, 10, 29),
    "halfyear_accounts": date(2026, 9, 10),
    "publication.start": date(2026, 12, 3),
    "publication.end": date(2027, 1, 4),
    "strategy_debate.start": date(2026, 3, 3),
    "strategy_debate.end": date(2026, 4, 28),
    "strategy_published": date(2026, 7, 1),
    "constituting_meeting": date(2026, 12, 10),
}
KB = MeetingSeries(key="kb", name_da="KB", rule="last thu", agenda=(5, "workdays"))


def _check(dates: dict[str, date], *rules: RuleSpec, **kwargs: object) -> list[Violation]:
    chosen = list(rules) or list(DANISH_RULES.values())
    kwargs.setdefault("meetings", MeetingPlan([KB], CAL))
    return check_rules(chosen, dates, year=2026, calendar=CAL, **kwargs)  # type: ignore[arg-type]


def _ids(violations: list[Violation]) -> list[str]:
    return [violation.rule_id for violation in violations]


def _rule(**fields: object) -> RuleSpec:
    base: dict[str, object] = {"id": "local", "explanation_da": "Regel.", "explanation_en": "Rule."}
    return RuleSpec.model_validate(base | fields)


def test_a_good_year_breaks_no_danish_rule() -> None:
    assert _check(GOOD_2026) == []


def test_shipped_set_has_ids_and_sources() -> None:
    assert sorted(DANISH_RULES) == sorted(
        f"dk.{rule}"
        for rule in (
            *("B1", "B2", "B3", "A1", "A2", "A3", "A4", "P1", "P2", "P3", "P4", "P7", "P8"),
            *("P12", "E1", "M1", "M4"),
        )
    )
    for spec in DANISH_RULES.values():
        assert spec.source and spec.explanation_da and spec.explanation_en
    assert "§ 38, stk. 1" in DANISH_RULES["dk.B3"].source
    assert "Planloven § 24, stk. 3" in DANISH_RULES["dk.P3"].source
    assert DANISH_RULES["dk.M1"].severity == "warning"


@pytest.mark.parametrize(
    ("key", "day", "rule_id"),
    [
        ("budget_proposal_to_kb", date(2026, 9, 16), "dk.B1"),
        ("budget_2nd_reading", date(2026, 10, 16), "dk.B2"),
        ("accounts_to_auditors", date(2026, 5, 1), "dk.A1"),
        ("audit_report", date(2026, 6, 15), "dk.A2"),
        ("accounts_approved", date(2026, 9, 1), "dk.A3"),
    ],
)
def test_deadline_rules(key: str, day: date, rule_id: str) -> None:
    rule = DANISH_RULES[rule_id]
    assert _check({**GOOD_2026, key: day}, rule) != []
    assert _check({**GOOD_2026, key: day - timedelta(days=1)}, rule) == []


def test_b2_violation_reads_well_in_both_languages() -> None:
    [violation] = _check({**GOOD_2026, "budget_2nd_reading": date(2026, 10, 20)})
    assert violation.rule_id == "dk.B2"
    assert violation.severity == "error"
    assert violation.blocking
    assert violation.dates == {
        "budget_2nd_reading": date(2026, 10, 20),
        "limit": date(2026, 10, 15),
    }
    assert violation.source.endswith("§ 2, stk. 2")
    assert violation.explanation_da.endswith(
        "Her: budget_2nd_reading er 2026-10-20, men skal være senest 2026-10-15."
    )
    assert violation.explanation_en.endswith(
        "Here: budget_2nd_reading is 2026-10-20 but must be by 2026-10-15."
    )


def test_b2_per_year_override_2019() -> None:
    moved = danish_rule("dk.B2", limit="11-05")
    dates = {"budget_2nd_reading": date(2019, 11, 5)}
    assert check_rules([moved], dates, year=2019, calendar=CAL) == []
    assert _ids(check_rules([DANISH_RULES["dk.B2"]], dates, year=2019, calendar=CAL)) == ["dk.B2"]


def test_b3_readings_three_weeks_apart() -> None:
    dates = {
        **GOOD_2026,
        "budget_1st_reading": date(2026, 9, 17),
        "budget_2nd_reading": date(2026, 10, 8),
    }
    assert _check(dates, DANISH_RULES["dk.B3"]) == []  # exactly 21 days
    dates["budget_1st_reading"] = date(2026, 9, 18)
    [violation] = _check(dates, DANISH_RULES["dk.B3"])
    assert "mindst 21 dage imellem kræver budget_2nd_reading tidligst 2026-10-09" in (
        violation.explanation_da
    )


def test_p3_hearing_eight_weeks() -> None:
    short = {**GOOD_2026, "plan_hearing.end": date(2026, 10, 26)}
    [violation] = _check(short, DANISH_RULES["dk.P3"])
    assert violation.dates == {
        "plan_hearing.start": date(2026, 9, 1),
        "plan_hearing.end": date(2026, 10, 26),
    }
    assert "mindst 8 uger giver slut tidligst 2026-10-27" in violation.explanation_da
    minor = danish_rule("dk.P3", length=4)
    assert _check(short, minor) == []


def test_p8_adoption_strictly_after_hearing() -> None:
    same_day = {**GOOD_2026, "plan_adoption": date(2026, 10, 27)}
    [violation] = _check(same_day, DANISH_RULES["dk.P8"])
    assert violation.explanation_en.endswith(
        "Here: plan_hearing.end (2026-10-27) must come before plan_adoption (2026-10-27)."
    )


def test_m1_agenda_four_workdays_is_a_warning() -> None:
    # Mon 26 Oct to Thu 29 Oct is 3 workdays; Fri 23 Oct gives 4. (dk.M1 bound to two dates.)
    late = {**GOOD_2026, "kb_agenda": date(2026, 10, 26)}
    one = danish_rule("dk.M1", first="kb_agenda", second="kb_meeting")
    assert _check(GOOD_2026, one) == []
    [violation] = _check(late, one)
    assert violation.severity == "warning"
    assert not violation.blocking
    raise_blocking([violation])  # a warning never blocks


def test_waiver_is_recorded_not_dropped() -> None:
    late = {**GOOD_2026, "budget_2nd_reading": date(2026, 10, 20)}
    waiver = Waiver(rule_id="dk.B2", reason="Ministeriet har flyttet fristen", by="2026")
    [violation] = _check(late, waivers=[waiver])
    assert violation.waived
    assert violation.waiver_reason == "Ministeriet har flyttet fristen"
    assert not violation.blocking
    raise_blocking([violation])


def test_waiver_needs_a_reason_and_a_known_rule() -> None:
    with pytest.raises(ValidationError):
        Waiver(rule_id="dk.B2", reason="")
    with pytest.raises(CalendarError, match=re.escape("ukendt regel 'dk.B9'. Mente du")):
        _check(GOOD_2026, waivers=[Waiver(rule_id="dk.B9", reason="x")])


def test_raise_blocking_lists_blocking_errors() -> None:
    bad = {
        **GOOD_2026,
        "budget_2nd_reading": date(2026, 10, 20),
        "accounts_approved": date(2026, 9, 3),
    }
    violations = _check(bad)
    with pytest.raises(RuleViolation) as info:
        raise_blocking(violations)
    message = str(info.value)
    assert message.startswith("Planen bryder 2 regel/regler")
    assert "- dk.B2 (fejl/error)" in message and "da: Budgettet skal vedtages" in message
    assert "- dk.A3 (fejl/error)" in message


def test_missing_date_keys_are_a_template_error() -> None:
    dates = {key: day for key, day in GOOD_2026.items() if key != "kb_agenda"}
    one = danish_rule("dk.M1", first="kb_agenda", second="kb_meeting")
    with pytest.raises(
        CalendarError, match=re.escape("regel dk.M1 bruger 'kb_agenda', som planen ikke har.")
    ):
        _check(dates, one)


# -- the generic kinds ---------------------------------------------------------------------------


def test_max_duration() -> None:
    rule = _rule(kind="max_duration", phase="idea", length=6, unit="weeks")
    dates = {"idea.start": date(2026, 3, 2), "idea.end": date(2026, 4, 13)}
    assert _check(dates, rule) == []
    [violation] = _check({**dates, "idea.end": date(2026, 4, 14)}, rule)
    assert "højst 6 uger giver slut senest 2026-04-13" in violation.explanation_da


def test_min_duration_in_workdays_and_months() -> None:
    workdays = _rule(kind="min_duration", phase="p", length=3, unit="workdays")
    months = _rule(kind="min_duration", phase="p", length=1, unit="months")
    # Wed 1 Apr 2026 + 3 workdays = Thu 9 Apr (Easter in between).
    dates = {"p.start": date(2026, 4, 1), "p.end": date(2026, 4, 8)}
    assert _ids(_check(dates, workdays)) == ["local"]
    assert _check({**dates, "p.end": date(2026, 4, 9)}, workdays) == []
    assert _ids(_check({**dates, "p.end": date(2026, 4, 30)}, months)) == ["local"]
    assert _check({**dates, "p.end": date(2026, 5, 1)}, months) == []


def test_not_before_with_an_expression_limit() -> None:
    rule = _rule(kind="not_before", date="seminar", limit="2nd mon of aug", strict=False)
    assert _check({"seminar": date(2026, 8, 10)}, rule) == []
    [violation] = _check({"seminar": date(2026, 8, 7)}, rule)
    assert violation.dates["limit"] == date(2026, 8, 10)
    assert "tidligst 2026-08-10" in violation.explanation_da
    strict = _rule(kind="not_before", date="seminar", limit="08-10", strict=True)
    assert _ids(_check({"seminar": date(2026, 8, 10)}, strict)) == ["local"]


def test_limit_may_reference_other_dates() -> None:
    rule = _rule(kind="not_after", date="hvidbog", limit="plan_adoption - 10 workdays")
    dates = {"hvidbog": date(2026, 11, 13), "plan_adoption": date(2026, 11, 26)}
    assert _ids(_check(dates, rule)) == ["local"]


def test_order_non_strict_allows_the_same_day() -> None:
    rule = _rule(kind="order", first="a", second="b")
    assert _check({"a": date(2026, 5, 1), "b": date(2026, 5, 1)}, rule) == []
    assert _ids(_check({"a": date(2026, 5, 2), "b": date(2026, 5, 1)}, rule)) == ["local"]


def test_on_workday() -> None:
    rule = _rule(kind="on_workday", date="meeting", severity="warning")
    assert _check({"meeting": date(2026, 6, 4)}, rule) == []
    [violation] = _check({"meeting": date(2026, 6, 5)}, rule)
    assert violation.explanation_da.endswith(
        "Her: meeting er 2026-06-05, som er lukket (Grundlovsdag)."
    )
    assert violation.explanation_en.endswith("a closed day (Grundlovsdag).")


def test_rule_spec_validation() -> None:
    with pytest.raises(ValidationError, match="mangler phase, length"):
        _rule(kind="min_duration")
    with pytest.raises(ValidationError, match="mangler date, limit"):
        _rule(kind="not_after")
    with pytest.raises(ValidationError):
        _rule(kind="whenever")
    with pytest.raises(CalendarError, match="Ugyldigt datoudtryk '10/15'"):
        _rule(kind="not_after", date="x", limit="10/15")


def test_bind_rule_from_template_entries() -> None:
    bound = bind_rule({"use": "dk.B2", "milestone": "budget_adoption"})
    assert bound.date == "budget_adoption"
    assert bound.limit == "10-15"
    hearing = bind_rule({"use": "dk.P3", "phase": "tillaeg_hearing", "id": "dk.P3.tillaeg"})
    assert (hearing.id, hearing.phase, hearing.length) == ("dk.P3.tillaeg", "tillaeg_hearing", 8)
    local = bind_rule(
        {"id": "local.seminar", "kind": "order", "first": "seminar", "second": "budget_1st_reading",
         "explanation_da": "Seminar før 1. behandling.", "explanation_en": "Seminar first."}
    )  # fmt: skip
    assert local.kind == "order"
    with pytest.raises(CalendarError, match=re.escape("Ukendt regel 'dk.B22'. Mente du 'dk.B2'")):
        bind_rule({"use": "dk.B22"})
    with pytest.raises(ValidationError):
        bind_rule({"use": "dk.B2", "deadline": "10-15"})
