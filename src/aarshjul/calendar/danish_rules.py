"""The shipped Danish rule set (``dk.*``): budget, accounts, planning and meeting rules.

Each rule is bound to default date keys; a template rebinds them and may change a parameter::

    {use: dk.B2, milestone: budget_2nd_reading}          # the default binding, spelled out
    {use: dk.B2, limit: "11-05"}                         # the 2019 ministerial extension
    {use: dk.P4, phase: tillaeg_hearing}                 # a minor change: 4 weeks (stk. 4)
    {use: dk.M1, series: kb}                             # every council meeting's agenda

``milestone`` is an alias of ``date``. Sources are in ``docs/calendar.md`` and DOMAIN.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aarshjul.calendar.names import did_you_mean
from aarshjul.calendar.rules import RuleSpec
from aarshjul.errors import CalendarError

_BEK = "Budget- og regnskabsbekendtgørelsen (BEK nr. 1051 af 15/10/2019)"

DANISH_RULES: dict[str, RuleSpec] = {
    rule.id: rule
    for rule in (
        RuleSpec(
            id="dk.B1",
            kind="not_after",
            date="budget_proposal_to_kb",
            limit="09-15",
            source=f"{_BEK} § 2",
            explanation_da="Økonomiudvalget skal oversende budgetforslaget til "
            "kommunalbestyrelsen senest 15. september.",
            explanation_en="The Finance Committee must hand the budget proposal to the council "
            "by 15 September.",
        ),
        RuleSpec(
            id="dk.B2",
            kind="not_after",
            date="budget_2nd_reading",
            limit="10-15",
            source=f"{_BEK} § 2, stk. 2",
            explanation_da="Budgettet skal vedtages ved 2. behandling senest 15. oktober "
            "(ministeriet kan flytte fristen et enkelt år, som i 2019 til 5. november).",
            explanation_en="The budget must be adopted at the 2nd reading by 15 October (the "
            "ministry may move the deadline for one year, as in 2019 to 5 November).",
        ),
        RuleSpec(
            id="dk.B3",
            kind="min_gap",
            first="budget_1st_reading",
            second="budget_2nd_reading",
            length=21,
            unit="days",
            source="Lov om kommunernes styrelse § 38, stk. 1",
            explanation_da="Budgetforslaget skal have to behandlinger i kommunalbestyrelsen "
            "med mindst 3 ugers mellemrum.",
            explanation_en="The budget proposal needs two readings in the council at least "
            "3 weeks apart.",
        ),
        RuleSpec(
            id="dk.A1",
            kind="not_after",
            date="accounts_to_auditors",
            limit="05-01",
            strict=True,
            source=f"{_BEK} § 8, stk. 1",
            explanation_da="Årsregnskabet skal afgives til revisionen inden 1. maj.",
            explanation_en="The annual accounts must go to the auditors before 1 May.",
        ),
        RuleSpec(
            id="dk.A2",
            kind="not_after",
            date="audit_report",
            limit="06-15",
            strict=True,
            source=f"{_BEK} § 8, stk. 3",
            explanation_da="Revisionens beretning om årsregnskabet skal afgives inden 15. juni.",
            explanation_en="The auditors' report on the accounts must reach the council "
            "before 15 June.",
        ),
        RuleSpec(
            id="dk.A3",
            kind="not_after",
            date="accounts_approved",
            limit="08-31",
            source=f"{_BEK} § 8, stk. 4-5; lov om kommunernes styrelse §§ 45 og 57",
            explanation_da="Kommunalbestyrelsen skal godkende regnskabet og tage stilling til "
            "revisionsberetningen, så begge kan sendes til Ankestyrelsen inden udgangen af august.",
            explanation_en="The council must approve the accounts and decide on the audit report "
            "so both reach Ankestyrelsen before the end of August.",
        ),
        RuleSpec(
            id="dk.P3",
            kind="min_duration",
            phase="plan_hearing",
            length=8,
            unit="weeks",
            source="Planloven § 24, stk. 3 (stk. 4-6: 4 eller 2 uger for mindre ændringer)",
            explanation_da="Forslag til kommuneplan eller tillæg skal i offentlig høring i mindst "
            "8 uger (altid 8 uger, når der er en miljørapport).",
            explanation_en="A plan proposal or addendum must be in public hearing for at least "
            "8 weeks (always 8 weeks when there is an environmental report).",
        ),
        RuleSpec(
            id="dk.P8",
            kind="order",
            first="plan_hearing.end",
            second="plan_adoption",
            strict=True,
            source="Planloven § 27",
            explanation_da="Planen må først vedtages endeligt, når høringsfristen er udløbet.",
            explanation_en="A plan may be finally adopted only after its hearing has ended.",
        ),
        RuleSpec(
            id="dk.A4",
            kind="not_after",
            severity="warning",
            date="halfyear_accounts",
            limit="09-30",
            source="Lov om kommunernes styrelse § 45 a (fristen fastsættes af ministeren)",
            explanation_da="Kommunalbestyrelsen skal i et møde godkende halvårsregnskabet "
            "(1. januar-30. juni) inden ministerens frist; standarden her er 30. september: "
            "ret 'limit' til årets frist.",
            explanation_en="The council must approve the half-year accounts (1 January-30 June) "
            "in a meeting before the minister's deadline; the default here is 30 September: set "
            "'limit' to the year's deadline.",
        ),
        RuleSpec(
            id="dk.P4",
            kind="min_duration",
            phase="plan_hearing",
            length=4,
            unit="weeks",
            source="Planloven § 24, stk. 4",
            explanation_da="En mindre ændring af kommuneplanens rammedel, der ikke strider mod "
            "planens hovedprincipper, skal i offentlig høring i mindst 4 uger.",
            explanation_en="A minor change to the plan's framework that does not conflict with "
            "its main principles must be in public hearing for at least 4 weeks.",
        ),
        RuleSpec(
            id="dk.P7",
            kind="holiday_season",
            severity="warning",
            phase="plan_hearing",
            length=8,
            unit="weeks",
            source="Planloven § 24 (høringsfristen skal give offentligheden reel mulighed for at "
            "deltage); aarshjuls tommelfingerregel",
            explanation_da="En høring på minimumslængden, der mest ligger i juli eller går hen "
            "over jul og nytår, giver borgerne kortere reel tid.",
            explanation_en="A hearing at its minimum length that lies mostly in July or runs over "
            "Christmas and New Year gives citizens less real time.",
        ),
        RuleSpec(
            id="dk.P12",
            kind="min_duration",
            phase="publication",
            length=4,
            unit="weeks",
            source="Planloven § 60 (klage inden 4 uger efter offentliggørelsen)",
            explanation_da="Klagefristen er 4 uger regnet fra offentliggørelsen af den vedtagne "
            "plan; falder den sidste dag på en lukkedag, forlænges den til næste arbejdsdag.",
            explanation_en="The appeal period is 4 weeks from the publication of the adopted "
            "plan; when its last day is a closed day it runs to the next workday.",
        ),
        RuleSpec(
            id="dk.P1",
            kind="not_after",
            date="strategy_published",
            limit="12-31",
            source="Planloven § 23 a",
            explanation_da="Planstrategien skal vedtages og offentliggøres inden udgangen af den "
            "første halvdel af valgperioden, dvs. senest 31. december i valgperiodens 2. år.",
            explanation_en="The planning strategy must be adopted and published before the end "
            "of the first half of the election term, i.e. by 31 December of the term's 2nd year.",
        ),
        RuleSpec(
            id="dk.P2",
            kind="min_duration",
            phase="strategy_debate",
            length=8,
            unit="weeks",
            source="Planloven § 23 a; Vejledning om planstrategi (offentlig debat i mindst 8 uger)",
            explanation_da="Forslaget til planstrategi skal i offentlig debat i mindst 8 uger, "
            "før kommunalbestyrelsen vedtager strategien.",
            explanation_en="The proposed planning strategy must be in public debate for at least "
            "8 weeks before the council adopts it.",
        ),
        RuleSpec(
            id="dk.E1",
            kind="not_after",
            date="constituting_meeting",
            limit="12-15",
            source="Lov om kommunernes styrelse § 6, stk. 1",
            explanation_da="Den nyvalgte kommunalbestyrelse holder sit konstituerende møde "
            "mellem 1. og 15. december i valgåret.",
            explanation_en="The newly elected council holds its constituting meeting between "
            "1 and 15 December of the election year.",
        ),
        RuleSpec(
            id="dk.M1",
            kind="agenda_notice",
            severity="warning",
            series="kb",
            length=4,
            unit="workdays",
            source="Lov om kommunernes styrelse § 8, stk. 4",
            explanation_da="Dagsordenen til et kommunalbestyrelsesmøde skal så vidt muligt "
            "udsendes mindst 4 arbejdsdage før mødet.",
            explanation_en="The council agenda should, as far as possible, go out at least "
            "4 working days before the meeting.",
        ),
        RuleSpec(
            id="dk.M4",
            kind="full_day",
            severity="warning",
            source="Overenskomst/lokal aftale om halve fridage (1. maj, grundlovsdag, 31. december)",
            explanation_da="Et møde bør ikke ligge på en halv lukkedag (lukket fra kl. 12).",
            explanation_en="A meeting should not fall on a half day (closed from 12:00).",
        ),
    )
}


def danish_rule(rule_id: str, **bindings: Any) -> RuleSpec:
    """A ``dk.*`` rule with keys or parameters rebound: ``danish_rule("dk.B2", limit="11-05")``."""
    return bind_rule({"use": rule_id, **bindings})


def bind_rule(data: Mapping[str, Any]) -> RuleSpec:
    """A rule from a template entry: ``{use: dk.B2, milestone: ...}`` or a full local rule."""
    values = dict(data)
    if "milestone" in values:
        values["date"] = values.pop("milestone")
    rule_id = values.pop("use", None)
    if rule_id is None:
        return RuleSpec.model_validate(values)
    if rule_id not in DANISH_RULES:
        hint = did_you_mean(str(rule_id), DANISH_RULES)
        raise CalendarError(f"Ukendt regel {rule_id!r}.{hint}")
    base = DANISH_RULES[rule_id].model_dump()
    if base["kind"] == "agenda_notice" and {"first", "second"} & values.keys():
        # dk.M1 bound to one agenda date and its meeting, as before every meeting was checked.
        base |= {"kind": "min_gap", "series": None}
    return RuleSpec.model_validate({**base, **values})
