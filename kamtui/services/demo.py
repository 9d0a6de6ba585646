"""A realistic, deterministic demo portfolio.

Shapes that matter to the product: about 20 % of customers carry about 80 % of gross
profit (a Pareto draw), some accounts cost more to serve than they earn, receivables
grow faster than revenue at a few, and every status is represented. Bulk rows go in
through SQLAlchemy Core inserts in one transaction (PERFORMANCE.md: ORM objects are
10x slower). Later features add their part through ``EXTENSIONS``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kamtui import models as m
from kamtui.db import Database, reset_sequences
from kamtui.errors import KamError
from kamtui.services.economics import add_months, last_four_quarters

INDUSTRIES = (
    "Manufacturing", "Logistics", "Retail", "Healthcare", "Financial services", "Energy",
    "Construction", "Food & beverage", "Automotive", "Telecommunications", "Pharmaceuticals",
    "Public sector", "Software", "Chemicals", "Agriculture", "Hospitality",
)  # fmt: skip
PLACES = (
    ("Germany", ("Hamburg", "Munich", "Cologne", "Stuttgart", "Leipzig")),
    ("France", ("Lyon", "Paris", "Lille", "Toulouse", "Nantes")),
    ("United Kingdom", ("Leeds", "Manchester", "Bristol", "Glasgow", "London")),
    ("Netherlands", ("Rotterdam", "Utrecht", "Eindhoven", "Amsterdam")),
    ("Spain", ("Valencia", "Bilbao", "Madrid", "Seville")),
    ("Italy", ("Milan", "Turin", "Bologna", "Verona")),
    ("Sweden", ("Gothenburg", "Malmö", "Stockholm")),
    ("Poland", ("Poznań", "Wrocław", "Gdańsk", "Kraków")),
    ("United States", ("Chicago", "Atlanta", "Denver", "Columbus", "Austin")),
    ("Canada", ("Toronto", "Calgary", "Montréal")),
)
FIRST = (
    "Nor", "Ast", "Bel", "Cor", "Dal", "Ever", "Fal", "Gran", "Hel", "Iver", "Jun", "Kel",
    "Lum", "Mar", "Nov", "Oak", "Pol", "Quin", "Ros", "Sil", "Tor", "Ult", "Ven", "Wes",
    "Alp", "Bri", "Cas", "Dun", "Elm", "Fern", "Glen", "Hart", "Arn", "Bran", "Carl", "Dor",
    "Fair", "Gold", "High", "Ash", "Lin", "Mill", "North", "Red", "Sand", "Thorn", "West", "Stan",
)  # fmt: skip
SECOND = (
    "ford", "ex", "ia", "tek", "wood", "line", "gate", "field", "stone", "ridge", "vale",
    "bridge", "mark", "point", "haven", "crest", "dale", "port", "wick", "more", "brook",
    "hill", "land", "ton", "worth", "ley", "mont", "water", "castle", "by",
)  # fmt: skip
# a word between name and legal form when the plain name is taken ("Norford Precision GmbH"):
# at 10,000 accounts the plain names run short, and "Norford GmbH 2" reads as a bug
QUALIFIER = (
    "Precision", "Digital", "Nordic", "Europe", "International", "Medical", "Foods", "Energy",
    "Engineering", "Trading", "Components", "Packaging", "Services", "Materials", "Labs",
    "Technologies", "Automation", "Supply", "Electric", "Pharma",
)  # fmt: skip
SUFFIX = (
    "GmbH", "Ltd", "SA", "BV", "AB", "Group", "Industries", "Logistics", "Systems",
    "Holdings", "& Co", "Partners", "Inc", "Solutions", "Works",
)  # fmt: skip
TEAM = (
    ("Alex Morgan", "Head of key accounts", "executive"),
    ("Sam Patel", "Key account manager", "manager"),
    ("Jo Weber", "Key account manager", "manager"),
    ("Chris Dubois", "Key account manager", "manager"),
    ("Maria Rossi", "Sales director", "director"),
    ("Lee Chen", "Service manager", "manager"),
    ("Ana Costa", "Finance controller", "director"),
    ("Tom Becker", "Managing director", "executive"),
)
CONTACT_FIRST = (
    "Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hugo", "Ines", "Jonas",
    "Karin", "Lars", "Mia", "Noah", "Olga", "Paul", "Rita", "Stefan", "Tara", "Viktor",
)  # fmt: skip
CONTACT_LAST = (
    "Schmidt", "Martin", "Smith", "de Vries", "García", "Bianchi", "Larsson", "Nowak",
    "Brown", "Tremblay", "Keller", "Moreau", "Jansen", "López", "Ricci", "Berg",
)  # fmt: skip
TITLES = (
    ("President", "executive"), ("CEO", "executive"), ("VP Purchasing", "vp"),
    ("VP Operations", "vp"), ("Procurement director", "director"), ("IT director", "director"),
    ("Buyer", "manager"), ("Category manager", "manager"), ("Plant manager", "manager"),
    ("Assistant buyer", "staff"),
)  # fmt: skip
FINANCES = (
    "Strong balance sheet, pays on time",
    "Growing fast, cash is tight",
    "Stable, conservative with spend",
    "Recently refinanced; watch payment terms",
    "Listed company, quarterly budget cycles",
)
INFRA = (
    "Three plants and a central warehouse",
    "Single site, outsourced IT",
    "Regional depots across the country",
    "Central procurement, SAP",
    "Decentralised buying per site",
)
STRATEGY = (
    "Expanding into new markets next year",
    "Consolidating suppliers to cut cost",
    "Moving to e-commerce",
    "Investing in automation",
    "Focus on sustainability targets",
)
INCUMBENTS = (
    "Two local suppliers",
    "One national incumbent",
    "We are sole supplier",
    "Buys from four vendors",
)
STATUS_WEIGHTS = (("prospect", 30), ("target", 15), ("customer", 47), ("former", 3))


@dataclass
class DemoContext:
    """What the base demo made, for extensions to build on."""

    conn: Any  # a SQLAlchemy Connection inside the demo's transaction
    rng: random.Random
    today: dt.date
    account_ids: list[int]
    statuses: dict[int, str]
    owners: dict[int, int | None]
    people: list[int]
    extra: dict[str, Any] = field(default_factory=dict)


# Each feature adds its demo data through a module with ``fill_demo(ctx: DemoContext)``,
# imported only while a demo is built. One line per feature.
EXTENSION_MODULES: tuple[str, ...] = (
    "kamtui.services.scoring_demo",
    "kamtui.services.plans_demo",
    "kamtui.services.reviews_demo",
    "kamtui.services.lookalike_demo",
    "kamtui.services.plan_demo",
)


def _extensions() -> list[Callable[[DemoContext], None]]:
    import importlib

    return [importlib.import_module(name).fill_demo for name in EXTENSION_MODULES]


def _company_names(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct, plausible company names ("Norford GmbH", "Velbrook Digital AB"),
    the same for the same draws. A number is added only past the ~400,000 names the
    parts can make."""
    names: list[str] = []
    seen: set[str] = set()
    space = len(FIRST) * len(SECOND) * len(SUFFIX) * (1 + len(QUALIFIER))
    while len(names) < n:
        stem, suffix = f"{rng.choice(FIRST)}{rng.choice(SECOND)}", rng.choice(SUFFIX)
        name = f"{stem} {suffix}"
        tries = 0
        while name.lower() in seen and tries < 8:
            name = f"{stem} {rng.choice(QUALIFIER)} {suffix}"
            tries += 1
        if name.lower() in seen and len(seen) < space * 0.9:
            continue  # draw another stem: most of the space is still free
        k = 2
        base = name
        while name.lower() in seen:
            name = f"{base} {k}"
            k += 1
        seen.add(name.lower())
        names.append(name)
    return names


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def build_demo(
    db: Database, *, accounts: int = 300, seed: int = 7, today: dt.date, replace: bool = False
) -> dict[str, int]:
    """Fill ``db`` with a demo portfolio; refuses a database that holds accounts."""
    from sqlalchemy import delete, func, insert, select

    if accounts < 1:
        raise KamError("--accounts must be at least 1")
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    with db.engine.begin() as conn:
        existing = conn.execute(select(func.count()).select_from(m.Account.__table__)).scalar_one()  # type: ignore[attr-defined]
        if existing and not replace:
            raise KamError(
                f"this database holds {existing} accounts already; use --replace to wipe it "
                "first, or --db to fill another file"
            )
        if replace:
            for table in reversed(m.SQLModel.metadata.sorted_tables):
                conn.execute(delete(table))
        now = dt.datetime.combine(today, dt.time(9, 0))
        conn.execute(
            insert(m.Settings.__table__),  # type: ignore[attr-defined]
            [{"id": 1, "currency": "EUR", "key_account_capacity": max(5, min(40, accounts // 25))}],
        )
        conn.execute(
            insert(m.Person.__table__),  # type: ignore[attr-defined]
            [
                {
                    "id": i + 1,
                    "name": n,
                    "role": r,
                    "level": lv,
                    "email": _email(n, "ourco.example"),
                }
                for i, (n, r, lv) in enumerate(TEAM)
            ],
        )
        people = list(range(1, len(TEAM) + 1))
        kams = [i + 1 for i, t in enumerate(TEAM) if "account" in t[1].lower()]

        names = _company_names(rng, accounts)
        size = [rng.paretovariate(1.16) for _ in range(accounts)]
        statuses: dict[int, str] = {}
        owners: dict[int, int | None] = {}
        rows: list[dict[str, Any]] = []
        for i, name in enumerate(names):
            aid = i + 1
            status = _weighted(rng, STATUS_WEIGHTS)
            statuses[aid] = status
            country, cities = rng.choice(PLACES)
            owner = (
                rng.choice(kams) if status in ("customer", "former") or rng.random() < 0.4 else None
            )
            owners[aid] = owner
            employees = int(40 * size[i] * rng.uniform(0.5, 3)) + 5
            rows.append(
                {
                    "id": aid,
                    "name": name,
                    "external_id": f"001D{seed:02d}{aid:010d}"[:18],
                    "website": f"https://www.{name.split()[0].lower()}.example",
                    "industry": rng.choice(INDUSTRIES),
                    "country": country,
                    "city": rng.choice(cities),
                    "status": status,
                    "status_since": None,  # the date of its last status change, below
                    "owner_id": owner,
                    "employees": employees,
                    "annual_revenue_minor": employees * rng.randint(90_000, 400_000) * 100,
                    "financial_situation": rng.choice(FINANCES) if rng.random() < 0.6 else "",
                    "infrastructure": rng.choice(INFRA) if rng.random() < 0.5 else "",
                    "business_strategy": rng.choice(STRATEGY) if rng.random() < 0.5 else "",
                    "incumbents": rng.choice(INCUMBENTS) if rng.random() < 0.5 else "",
                    "why_buy": rng.choice(m.WHY_BUY)
                    if status != "prospect" and rng.random() < 0.7
                    else None,
                    "why_buy_note": "",
                    "strength_of_position": rng.randint(1, 5) if rng.random() < 0.6 else None,
                    "notes": "",
                    "review_cadence": "none",
                    "created_at": now - dt.timedelta(days=rng.randint(60, 1500)),
                    "updated_at": now,
                    "version": 1,
                }
            )
        customers = sorted(
            (a for a, s in statuses.items() if s == "customer"), key=lambda a: -size[a - 1]
        )
        # about 8 % of customers, but not more than a team could serve: a little over capacity,
        # so the capacity warning has something to say
        for aid in customers[: max(1, min(len(customers) // 12, 52))]:
            if rng.random() < 0.85:
                statuses[aid] = "key"
                rows[aid - 1]["status"] = "key"
                rows[aid - 1]["review_cadence"] = rng.choice(("monthly", "quarterly", "quarterly"))
        # a few parents: small accounts belong to bigger ones in the same country
        # (a parent always has a lower id, so there are no loops)
        for aid in rng.sample(range(2, accounts + 1), k=accounts // 30) if accounts > 1 else []:
            rows[aid - 1]["parent_id"] = rng.randint(1, aid - 1)
        for r in rows:
            r.setdefault("parent_id", None)
        history = []
        for aid, status in statuses.items():
            created = rows[aid - 1]["created_at"]
            history.append(
                {
                    "account_id": aid,
                    "changed_at": created,
                    "old_status": None,
                    "new_status": "prospect",
                    "reason": "created",
                }
            )
            chain = {
                "target": ["target"],
                "customer": ["target", "customer"],
                "key": ["target", "customer", "key"],
                "former": ["target", "customer", "key", "former"],
            }.get(status, [])
            reasons = {
                "target": "fits our key-account profile",
                "customer": "first order signed",
                "key": "scores above the threshold; strategic fit",
                "former": "volumes fell; no longer worth key-account effort",
            }
            previous = "prospect"
            when = created
            for n, step in enumerate(chain):
                # steps 20–200 days apart, squeezed to end by today: each on its own day
                room = (now - when).days // (len(chain) - n)
                when = when + dt.timedelta(days=min(rng.randint(20, 200), max(1, room)))
                history.append(
                    {
                        "account_id": aid,
                        "changed_at": when,
                        "old_status": previous,
                        "new_status": step,
                        "reason": reasons[step],
                    }
                )
                previous = step
        for change in history:  # in order per account: the last one is its status now
            rows[change["account_id"] - 1]["status_since"] = change["changed_at"].date()
        conn.execute(insert(m.Account.__table__), rows)  # type: ignore[attr-defined]
        counts["accounts"] = len(rows)
        conn.execute(insert(m.StatusChange.__table__), history)  # type: ignore[attr-defined]

        counts["periods"] = _periods(conn, rng, today, statuses, size)
        counts["contacts"] = _contacts(conn, rng, statuses, people)
        ctx = DemoContext(conn, rng, today, list(statuses), statuses, owners, people)
        for name, extend in zip(EXTENSION_MODULES, _extensions(), strict=True):
            # each feature draws from its own stream: adding one never reshuffles another
            ctx.rng = random.Random(f"{seed}:{name}")
            extend(ctx)
        counts.update({k: v for k, v in ctx.extra.items() if isinstance(v, int)})
        reset_sequences(conn)  # the rows above carry their ids: PostgreSQL's counters follow
    return counts


def _email(name: str, domain: str) -> str:
    return name.lower().replace(" ", ".") + "@" + domain


def _periods(
    conn: Any, rng: random.Random, today: dt.date, statuses: dict[int, str], size: list[float]
) -> int:
    from sqlalchemy import insert

    _, end = last_four_quarters(today)
    starts = [add_months(end, -3 * k) for k in range(8, 0, -1)]
    rows = []
    for aid, status in statuses.items():
        if status not in ("customer", "key", "former"):
            continue
        yearly = 20_000 * size[aid - 1] * rng.uniform(0.6, 1.6)
        if status == "key":
            yearly *= 3
        margin = rng.uniform(0.18, 0.42)
        serve_share = rng.uniform(0.03, 0.15)
        if rng.random() < 0.08:  # costs more to serve than it earns
            serve_share = margin * rng.uniform(1.1, 1.8)
        growth = rng.uniform(-0.12, 0.22) if status != "former" else rng.uniform(-0.5, -0.2)
        receivable_days = rng.uniform(25, 70)
        receivable_drift = rng.uniform(0.0, 0.12) if rng.random() < 0.1 else 0.0
        for k, start in enumerate(starts):
            q = yearly / 4 * (1 + growth) ** (k / 4) * rng.uniform(0.9, 1.1)
            revenue = int(q * 100)
            profit = int(revenue * margin * rng.uniform(0.92, 1.08))
            rows.append(
                {
                    "account_id": aid,
                    "period_start": start,
                    "kind": "quarter",
                    "revenue_minor": revenue,
                    "cost_to_serve_minor": int(revenue * serve_share),
                    "gross_profit_minor": profit,
                    "receivables_minor": int(
                        revenue * receivable_days / 90 * (1 + receivable_drift) ** k
                    ),
                    "version": 1,
                }
            )
    if rows:
        conn.execute(insert(m.AccountPeriod.__table__), rows)  # type: ignore[attr-defined]
    return len(rows)


def _contacts(conn: Any, rng: random.Random, statuses: dict[int, str], people: list[int]) -> int:
    from sqlalchemy import insert

    rows = []
    for aid, status in statuses.items():
        n = {"key": rng.randint(3, 6), "customer": rng.randint(1, 3)}.get(status, rng.randint(0, 1))
        for _ in range(n):
            first, last = rng.choice(CONTACT_FIRST), rng.choice(CONTACT_LAST)
            title, level = rng.choice(TITLES)
            rows.append(
                {
                    "account_id": aid,
                    "name": f"{first} {last}",
                    "title": title,
                    "level": level,
                    "email": f"{first.lower()}.{last.lower().replace(' ', '')}@customer{aid}.example",
                    "phone": f"+49 40 {rng.randint(1000000, 9999999)}",
                    "counterpart_id": rng.choice(people)
                    if status == "key" and rng.random() < 0.6
                    else None,
                    "version": 1,
                }
            )
    if rows:
        conn.execute(insert(m.Contact.__table__), rows)  # type: ignore[attr-defined]
    return len(rows)
