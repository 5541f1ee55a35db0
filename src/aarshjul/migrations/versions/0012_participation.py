"""participation: submissions, their attachments and audit, the plan's public texts; receipts

Adds ``submission``, ``submission_attachment``, ``submission_event`` and ``plan_text``. The
outbox gets messages to someone who is not one of the organisation's people (a citizen's
receipt): ``person_id`` may be empty and ``recipient`` holds the address; the outbox kind
``submission_receipt`` joins the CHECK constraint's list (rebuilt as in 0005).

Revision ID: 0012
Revises: 0003
Create Date: 2026-12-14 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0012"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = ("digest", "dead_letter_report", "board_report", "planning_notice", "sign_in")
_KIND_CHECK = "ck_outbox_message_outbox_kind"
_RECOMMENDATIONS = ("adopt", "partly", "reject", "covered", "noted")


def _kind_check(kinds: Sequence[str]) -> str:
    return "kind IN ({})".format(", ".join(f"'{k}'" for k in kinds))


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _instant() -> sqlmodel.sql.sqltypes.UTCDateTime:
    return sqlmodel.sql.sqltypes.UTCDateTime()


def _fk(
    table: str, column: str, target: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    _submission()
    op.create_table(
        "submission_attachment",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("filename", _text(200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", _text(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        _fk("submission_attachment", "submission_id", "submission", "CASCADE"),
        sa.PrimaryKeyConstraint("submission_id", name=op.f("pk_submission_attachment")),
    )
    op.create_table(
        "submission_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("at", _instant(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("kind", _text(20), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        _fk("submission_event", "submission_id", "submission", "CASCADE"),
        _fk("submission_event", "actor_id", "person", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_event")),
    )
    op.create_index(
        op.f("ix_submission_event_submission_id"), "submission_event", ["submission_id"]
    )
    _plan_text()
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.add_column(sa.Column("recipient", _text(254), nullable=False, server_default=""))
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint(op.f(_KIND_CHECK), type_="check")
        batch_op.create_check_constraint(
            op.f(_KIND_CHECK), _kind_check((*_KINDS, "submission_receipt"))
        )


def _submission() -> None:
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("reference", _text(32), nullable=False),
        sa.Column("form_key", _text(64), nullable=False),
        sa.Column("name", _text(200), nullable=False),
        sa.Column("email", _text(254), nullable=False),
        sa.Column("association", _text(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("publish_name", sa.Boolean(), nullable=False),
        sa.Column("locale", _text(8), nullable=False),
        sa.Column("policy_area_id", sa.Integer(), nullable=True),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("routed_at", _instant(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column(
            "recommendation",
            sa.Enum(
                *_RECOMMENDATIONS,
                name="recommendation",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("replied_at", _instant(), nullable=True),
        sa.Column("replied_by_id", sa.Integer(), nullable=True),
        sa.Column("receipt_message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _instant(), nullable=False),
        sa.Column("erased_at", _instant(), nullable=True),
        _fk("submission", "organisation_id", "organisation", "CASCADE"),
        _fk("submission", "phase_id", "phase"),
        _fk("submission", "policy_area_id", "policy_area", "SET NULL"),
        _fk("submission", "goal_id", "goal", "SET NULL"),
        _fk("submission", "owner_id", "person", "SET NULL"),
        _fk("submission", "replied_by_id", "person", "SET NULL"),
        _fk("submission", "receipt_message_id", "outbox_message", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint(
            "organisation_id", "reference", name=op.f("uq_submission_organisation_id_reference")
        ),
        sa.UniqueConstraint(
            "organisation_id", "form_key", name=op.f("uq_submission_organisation_id_form_key")
        ),
    )
    op.create_index(op.f("ix_submission_organisation_id"), "submission", ["organisation_id"])
    op.create_index(op.f("ix_submission_phase_id"), "submission", ["phase_id"])
    op.create_index("ix_submission_owner_replied", "submission", ["owner_id", "replied_at"])


def _plan_text() -> None:
    op.create_table(
        "plan_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("policy_area_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("addendum_phase_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _instant(), nullable=False),
        sa.CheckConstraint(
            "(goal_id IS NULL) <> (policy_area_id IS NULL)", name=op.f("ck_plan_text_one_subject")
        ),
        _fk("plan_text", "organisation_id", "organisation", "CASCADE"),
        _fk("plan_text", "goal_id", "goal", "CASCADE"),
        _fk("plan_text", "policy_area_id", "policy_area", "CASCADE"),
        _fk("plan_text", "author_id", "person", "SET NULL"),
        _fk("plan_text", "addendum_phase_id", "phase"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_text")),
    )
    op.create_index("ix_plan_text_org_goal", "plan_text", ["organisation_id", "goal_id"])
    op.create_index("ix_plan_text_org_area", "plan_text", ["organisation_id", "policy_area_id"])


def downgrade() -> None:
    op.execute("DELETE FROM outbox_message WHERE person_id IS NULL")
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_constraint(op.f(_KIND_CHECK), type_="check")
        batch_op.create_check_constraint(op.f(_KIND_CHECK), _kind_check(_KINDS))
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("recipient")
    for table in ("plan_text", "submission_event", "submission_attachment", "submission"):
        op.drop_table(table)
