"""The shipped Danish rule set (``dk.*``): budget, accounts, planning and meeting rules.

Each rule is bound to default date keys; a template rebinds them and may change a parameter::

    {use: dk.B2, milestone: budget_2nd_reading}          # the default binding, spelled out
    {use: dk.B2, limit: "11-05"}                         # the 2019 ministerial extension
    {use: dk.P3, phase: tillaeg_hearing, length: 4}      # a minor change: 4 weeks (stk. 4)

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
            id="dk.M1",
            kind="min_gap",
            severity="warning",
            first="kb_agenda",
            second="kb_meeting",
            length=4,
            unit="workdays",
            source="Lov om kommunernes styrelse § 8, stk. 4",
            explanation_da="Dagsordenen til et kommunalbestyrelsesmøde skal så vidt muligt "
            "udsendes mindst 4 arbejdsdage før mødet.",
            explanation_en="The council agenda should, as far as possible, go out at least "
            "4 working days before the meeting.",
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
    return RuleSpec.model_validate({**base, **values})
