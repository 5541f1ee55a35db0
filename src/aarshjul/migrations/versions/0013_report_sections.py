"""planning report sections: the planning staff's texts per organisation, year and section

Adds ``report_section``: one row per saved version of a section (legislation and reforms,
regional and neighbouring plans, new policies) of a year's planning report (*planredegørelse*),
with who wrote it and when. Rows are only ever added; the latest row is the section's text.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_report_section_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"],
            ["person.id"],
            name=op.f("fk_report_section_written_by_id_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_section")),
    )
    op.create_index(
        "ix_report_section_org_year_key",
        "report_section",
        ["organisation_id", "year", "key", "id"],
    )
    op.create_index(op.f("ix_report_section_written_by_id"), "report_section", ["written_by_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_report_section_written_by_id"), table_name="report_section")
    op.drop_index("ix_report_section_org_year_key", table_name="report_section")
    op.drop_table("report_section")
