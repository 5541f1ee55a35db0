"""each organisation its own mail channel; the escalation step that reaches the direktion

``organisation_channel`` holds an organisation's own apprise mail URL, Fernet-encrypted like a
person's channel (``AARSHJUL_MAIL_URL`` stays the default). ``cycle.escalate_direktion_from`` is
the escalation step from which the direktion is told (the template's
``defaults.escalate_direktion_from``; 2 for cycles planned before).

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("escalate_direktion_from", sa.Integer(), server_default="2", nullable=False)
        )
    op.create_table(
        "organisation_channel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("url_masked", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_channel_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_channel")),
        sa.UniqueConstraint(
            "organisation_id", "label", name=op.f("uq_organisation_channel_organisation_id_label")
        ),
    )
    with op.batch_alter_table("organisation_channel", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_channel_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("organisation_channel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_channel_organisation_id"))
    op.drop_table("organisation_channel")
    # In place: a batch rebuild of ``cycle`` on SQLite would cascade to its phases and tasks.
    op.drop_column("cycle", "escalate_direktion_from")
