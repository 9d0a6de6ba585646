"""Alembic environment: runs on the connection handed in by ``kamtui.migrate``."""

from __future__ import annotations

from alembic import context

from kamtui.models import SQLModel

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
