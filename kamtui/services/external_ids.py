"""An account's ids in the systems it came from (Salesforce Id, HubSpot Record ID, any
other named source), kept per system so the same companies exported from two CRMs import
onto the same accounts."""

from __future__ import annotations

import re

from kamtui.db import Database

LABELS = {"salesforce": "Salesforce", "hubspot": "HubSpot", "other": "External id"}
# Salesforce Account ids start with the key prefix 001 (15 or 18 characters); HubSpot
# Record IDs are numbers. Used only where kam never recorded the source (ids imported
# before schema 0003); an unknown id is "other".
_SALESFORCE = re.compile(r"001[0-9A-Za-z]{12}([0-9A-Za-z]{3})?")


def guess_system(external_id: str) -> str:
    value = external_id.strip()
    if _SALESFORCE.fullmatch(value):
        return "salesforce"
    if value.isascii() and value.isdigit():
        return "hubspot"
    return "other"


def system_key(name: str) -> str:
    """How a system's name is stored: 'HubSpot' → 'hubspot', ' Pipedrive ' → 'pipedrive'."""
    return re.sub(r"\s+", " ", name.strip()).lower()


def label(system: str) -> str:
    return LABELS.get(system, system[:1].upper() + system[1:])


def external_ids(db: Database, account_id: int) -> list[tuple[str, str]]:
    """(system label, id) for each id the account holds, the primary id first; an id
    typed by hand (in no system) shows as 'External id'."""
    primary = db.fetch("SELECT external_id FROM account WHERE id = ?", [account_id])
    held = db.fetch(
        "SELECT system, external_id FROM account_external_id WHERE account_id = ? ORDER BY system",
        [account_id],
    )
    first = primary[0][0] if primary and primary[0][0] else None
    out = [(label(s), x) for s, x in held]
    out.sort(key=lambda pair: pair[1] != first)
    if first is not None and all(x != first for _, x in out):
        out.insert(0, (LABELS["other"], first))
    return out
