"""co-design rounds, their prototypes and prototype images

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 04:00:00.000000

A round is a survey of kind ``codesign`` (its definition is generated from the
prototypes); these tables hold what staff edit. Images are stored in the database, so
every deployment serves them alike.
"""

import sqlalchemy as sa
from alembic import op


revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "codesign_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("has_ranking", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "opens_on IS NULL OR closes_on IS NULL OR closes_on >= opens_on",
            name=op.f("ck_codesign_rounds_closes_after_opening"),
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_codesign_rounds_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_codesign_rounds_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codesign_rounds")),
        sa.UniqueConstraint("survey_id", name=op.f("uq_codesign_rounds_survey_id")),
    )
    op.create_index(op.f("ix_codesign_rounds_campaign_id"), "codesign_rounds", ["campaign_id"])
    op.create_table(
        "prototype_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("media_type", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prototype_images")),
    )
    op.create_table(
        "prototypes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("version_number", sa.Integer(), server_default="1", nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["image_id"],
            ["prototype_images.id"],
            name=op.f("fk_prototypes_image_id_prototype_images"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["previous_id"],
            ["prototypes.id"],
            name=op.f("fk_prototypes_previous_id_prototypes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["codesign_rounds.id"],
            name=op.f("fk_prototypes_round_id_codesign_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prototypes")),
    )
    op.create_index(op.f("ix_prototypes_round_id"), "prototypes", ["round_id"])
    op.create_index(op.f("ix_prototypes_previous_id"), "prototypes", ["previous_id"])


def downgrade():
    op.drop_table("prototypes")
    op.drop_table("prototype_images")
    op.drop_table("codesign_rounds")
