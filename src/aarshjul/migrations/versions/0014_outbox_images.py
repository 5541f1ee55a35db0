"""outbox images: the board report's wheel, stored once and sent inline with every copy

Adds ``outbox_image`` (an organisation's pictures keyed by the SHA-256 of their bytes) and
``outbox_message.image_sha256``, which refers to one of them together with the message's
organisation. A partial index holds only the messages with a picture, so the daily digests do
not grow it. On SQLite the column and its foreign key are added by a table rebuild (batch mode).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FK = "fk_outbox_message_organisation_id_outbox_image"
_INDEX = "ix_outbox_message_image"
_WITH_IMAGE = "image_sha256 IS NOT NULL"


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "outbox_image",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("sha256", _text(64), nullable=False),
        sa.Column("content_type", _text(40), nullable=False),
        sa.Column("filename", _text(100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_outbox_image_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", "sha256", name=op.f("pk_outbox_image")),
    )
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.add_column(sa.Column("image_sha256", _text(64), nullable=True))
        batch_op.create_foreign_key(
            op.f(_FK),
            "outbox_image",
            ["organisation_id", "image_sha256"],
            ["organisation_id", "sha256"],
        )
    op.create_index(
        _INDEX,
        "outbox_message",
        ["organisation_id", "image_sha256"],
        sqlite_where=sa.text(_WITH_IMAGE),
        postgresql_where=sa.text(_WITH_IMAGE),
    )


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="outbox_message")
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_constraint(op.f(_FK), type_="foreignkey")
        batch_op.drop_column("image_sha256")
    op.drop_table("outbox_image")
