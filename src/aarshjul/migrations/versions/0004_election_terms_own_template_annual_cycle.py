"""election terms, the organisation's own template, one annual cycle per organisation and year

- ``organisation.election_year`` / ``election_every``: when the organisation's municipal
  elections fall (2025 and every 4 years by default), so term-bound work such as the planning
  strategy (planloven § 23 a) is planned in the right year;
- ``organisation_template``: the organisation's own cycle template, stored by ``org import`` so the
  1 December planning uses it on any machine;
- ``uq_cycle_annual_year``: at most one annual cycle per organisation and year. A database that
  already has two (a renamed copy of a template planned beside the original) cannot take the
  index: the upgrade stops and names them.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-10 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ANNUAL = sa.text("kind = 'annual'")


def upgrade() -> None:
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(
            sa.Column("election_year", sa.Integer(), server_default="2025", nullable=False)
        )
        batch.add_column(
            sa.Column("election_every", sa.Integer(), server_default="4", nullable=False)
        )
    op.create_table(
        "organisation_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("stored_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_template_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_template")),
        sa.UniqueConstraint(
            "organisation_id", "key", name=op.f("uq_organisation_template_organisation_id_key")
        ),
    )
    op.create_index(
        op.f("ix_organisation_template_organisation_id"),
        "organisation_template",
        ["organisation_id"],
        unique=False,
    )
    _refuse_duplicate_annual_cycles()
    op.create_index(
        "uq_cycle_annual_year",
        "cycle",
        ["organisation_id", "year"],
        unique=True,
        sqlite_where=_ANNUAL,
        postgresql_where=_ANNUAL,
    )


def _refuse_duplicate_annual_cycles() -> None:
    rows = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT organisation_id, year, key FROM cycle WHERE kind = 'annual' AND "
                "(organisation_id, year) IN (SELECT organisation_id, year FROM cycle "
                "WHERE kind = 'annual' GROUP BY organisation_id, year HAVING count(*) > 1) "
                "ORDER BY organisation_id, year, key"
            )
        )
        .all()
    )
    if rows:
        found = "; ".join(f"organisation {o}, {y}: {k}" for o, y, k in rows)
        raise RuntimeError(
            "Flere årshjul for samme år / several annual cycles for one year "
            f"({found}). Keep one per year before upgrading (aarshjul now plans one annual "
            "cycle per organisation and year)."
        )


def downgrade() -> None:
    op.drop_index("uq_cycle_annual_year", table_name="cycle")
    op.drop_index(
        op.f("ix_organisation_template_organisation_id"), table_name="organisation_template"
    )
    op.drop_table("organisation_template")
    # In place (SQLite >= 3.35 and PostgreSQL): a batch rebuild of ``organisation`` would drop the
    # table and cascade to every row that refers to it.
    op.drop_column("organisation", "election_every")
    op.drop_column("organisation", "election_year")
