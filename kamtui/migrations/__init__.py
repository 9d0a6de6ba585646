"""Alembic migrations, shipped inside the package.

``HEAD`` and ``KNOWN`` let start-up check the schema with one SELECT and no Alembic
import; a test keeps them equal to the scripts in ``versions/``.
"""

KNOWN = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
HEAD = KNOWN[-1]
