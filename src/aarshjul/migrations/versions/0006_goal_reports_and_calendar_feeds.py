"""goal status reports, indicators, calendar feed tokens and entries, organisation.public_calendar

Goal status follow-up (*målopfølgning*): ``goal_indicator`` (defined in the organisation file) and
``goal_report`` (one row per report, never updated). Calendar feeds: ``feed_token`` (the public
half of a person's feed token), ``feed_entry`` (what an organisation feed last published, for
SEQUENCE/LAST-MODIFIED) and ``organisation.public_calendar``.

The organisation column is added and dropped in place (``ALTER TABLE``), never by recreating the
table: on SQLite a batch recreate would drop ``organisation`` and cascade to every row that
references it.

Revision ID: 0006
Revises: 0007
Create Date: 2026-11-30 19:37:12
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_entry",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("uid", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("modified_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_feed_entry_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", "uid", name=op.f("pk_feed_entry")),
    )
    op.create_table(
        "feed_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("selector", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("issued_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_feed_token_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_token")),
        sa.UniqueConstraint("person_id", name=op.f("uq_feed_token_person_id")),
        sa.UniqueConstraint("selector", name=op.f("uq_feed_token_selector")),
    )
    op.create_table(
        "goal_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["goal.id"],
            name=op.f("fk_goal_indicator_goal_id_goal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_indicator")),
        sa.UniqueConstraint("goal_id", "name", name=op.f("uq_goal_indicator_goal_id_name")),
    )
    with op.batch_alter_table("goal_indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_indicator_goal_id"), ["goal_id"], unique=False)

    op.create_table(
        "goal_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "on_track",
                "at_risk",
                "off_track",
                "achieved",
                "abandoned",
                name="report_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=False),
        sa.Column("reported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goal.id"], name=op.f("fk_goal_report_goal_id_goal"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["person.id"], name=op.f("fk_goal_report_reported_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_goal_report_task_id_task"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_report")),
    )
    with op.batch_alter_table("goal_report", schema=None) as batch_op:
        batch_op.create_index("ix_goal_report_goal_year", ["goal_id", "year", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_goal_report_reported_by_id"), ["reported_by_id"], unique=False
        )

    op.add_column(
        "organisation",
        sa.Column("public_calendar", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    # SQLite >= 3.35 and PostgreSQL both drop a column in place.
    op.execute("ALTER TABLE organisation DROP COLUMN public_calendar")
    with op.batch_alter_table("goal_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_report_reported_by_id"))
        batch_op.drop_index("ix_goal_report_goal_year")

    op.drop_table("goal_report")
    with op.batch_alter_table("goal_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_indicator_goal_id"))

    op.drop_table("goal_indicator")
    op.drop_table("feed_token")
    op.drop_table("feed_entry")
