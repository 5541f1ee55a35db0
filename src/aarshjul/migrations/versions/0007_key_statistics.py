"""key statistics: figures from Statistics Denmark, their import log, the municipality code

Adds ``statistic_figure`` (one figure per organisation, StatBank table, series and period, with
its source and retrieval day), ``statistic_import`` (one row per import that changed figures) and
``organisation.municipality_code`` (the area whose figures are imported).

The column is added and dropped with plain ``ALTER TABLE`` (SQLite ≥ 3.35 drops columns in
place): batch mode would copy and drop ``organisation``, and with foreign keys on, dropping it
cascades to every row that belongs to the organisation.

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-30 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "statistic_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("series", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("suppressed", sa.Boolean(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("retrieved_on", sa.Date(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "NOT (suppressed AND value IS NOT NULL)",
            name=op.f("ck_statistic_figure_suppressed_no_value"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_statistic_figure_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistic_figure")),
        sa.UniqueConstraint(
            "organisation_id",
            "table_id",
            "series",
            "period",
            name=op.f("uq_statistic_figure_organisation_id_table_id_series_period"),
        ),
    )
    op.create_index(
        op.f("ix_statistic_figure_organisation_id"), "statistic_figure", ["organisation_id"]
    )
    op.create_table(
        "statistic_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("retrieved_on", sa.Date(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("imported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_statistic_import_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistic_import")),
    )
    op.create_index(
        op.f("ix_statistic_import_organisation_id"), "statistic_import", ["organisation_id"]
    )
    op.add_column(
        "organisation",
        sa.Column("municipality_code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("organisation", "municipality_code")
    op.drop_index(op.f("ix_statistic_import_organisation_id"), table_name="statistic_import")
    op.drop_table("statistic_import")
    op.drop_index(op.f("ix_statistic_figure_organisation_id"), table_name="statistic_figure")
    op.drop_table("statistic_figure")
