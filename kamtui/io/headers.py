"""Which column means what: the vocabularies of Salesforce, HubSpot and our own exports.

Headers are matched case-insensitively with surrounding spaces ignored (HubSpot portals
and the Salesforce weekly export capitalise differently). Each vocabulary maps a header
to one of our fields, to ``None`` (a column we know and deliberately do not import; the
user is told), or is silent about it (unknown: the user is told too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

IGNORED = None  # a known column with no place in kam

ACCOUNT_FIELDS = (
    "name", "external_id", "website", "industry", "country", "city", "parent", "owner",
    "status", "crm_status", "employees", "annual_revenue", "notes", "financial_situation",
    "infrastructure", "business_strategy", "incumbents", "why_buy", "why_buy_note",
    "strength_of_position", "review_cadence", "next_review",
)  # fmt: skip
CONTACT_FIELDS = (
    "account",
    "name",
    "first_name",
    "last_name",
    "title",
    "level",
    "email",
    "phone",
)
ECONOMICS_FIELDS = (
    "account",
    "period",
    "period_start",
    "kind",
    "revenue",
    "cost_to_serve",
    "gross_profit",
    "receivables",
)


def norm(header: str) -> str:
    return re.sub(r"\s+", " ", header.replace("\ufeff", "").strip()).lower()


def _vocab(*pairs: tuple[str, str | None]) -> dict[str, str | None]:
    return {norm(k): v for k, v in pairs}


# Salesforce Account object, API names (Data Loader, weekly Data Export in UPPER CASE).
SALESFORCE_API = _vocab(
    ("Id", "external_id"), ("Name", "name"), ("Type", "crm_status"), ("ParentId", "parent"),
    ("Industry", "industry"), ("AnnualRevenue", "annual_revenue"),
    ("NumberOfEmployees", "employees"), ("BillingCity", "city"), ("BillingCountry", "country"),
    ("ShippingCity", "city"), ("ShippingCountry", "country"), ("Website", "website"),
    ("Description", "notes"),
    *((f, IGNORED) for f in (
        "OwnerId", "Rating", "IsDeleted", "MasterRecordId", "AccountNumber", "Site", "Phone",
        "Fax", "BillingStreet", "BillingState", "BillingPostalCode", "BillingLatitude",
        "BillingLongitude", "BillingGeocodeAccuracy", "BillingAddress", "BillingStateCode",
        "BillingCountryCode", "ShippingStreet", "ShippingState", "ShippingPostalCode",
        "ShippingLatitude", "ShippingLongitude", "ShippingGeocodeAccuracy", "ShippingAddress",
        "ShippingStateCode", "ShippingCountryCode", "Sic", "SicDesc", "Ownership",
        "TickerSymbol", "AccountSource", "CreatedDate", "CreatedById", "LastModifiedDate",
        "LastModifiedById", "SystemModstamp", "LastActivityDate", "LastViewedDate",
        "LastReferencedDate", "Jigsaw", "JigsawCompanyId", "CleanStatus", "DandbCompanyId",
        "DunsNumber", "NaicsCode", "NaicsDesc", "YearStarted", "Tradestyle", "PhotoUrl",
        "RecordTypeId", "CurrencyIsoCode", "OperatingHoursId", "Tier", "IsPartner",
        "IsCustomerPortal", "ChannelProgramName", "ChannelProgramLevelName",
    )),
)  # fmt: skip

# Salesforce report export (column labels).
SALESFORCE_REPORT = _vocab(
    ("Account ID", "external_id"), ("Account Name", "name"), ("Account Type", "crm_status"),
    ("Type", "crm_status"), ("Parent Account ID", "parent"), ("Parent Account", "parent"),
    ("Industry", "industry"), ("Annual Revenue", "annual_revenue"), ("Employees", "employees"),
    ("Billing City", "city"), ("Billing Country", "country"), ("Shipping City", "city"),
    ("Shipping Country", "country"), ("Website", "website"), ("Account Owner", "owner"),
    ("Account Description", "notes"), ("Description", "notes"),
    *((f, IGNORED) for f in (
        "Rating", "Account Number", "Account Site", "Phone", "Fax", "Billing Street",
        "Billing State/Province", "Billing Zip/Postal Code", "Billing Address",
        "Shipping Street", "Shipping State/Province", "Shipping Zip/Postal Code",
        "Created Date", "Created By", "Last Modified Date", "Last Modified By",
        "Last Activity", "Account Owner Alias", "Ownership", "Ticker Symbol", "SIC Code",
        "Account Source", "Account Currency", "Account Record Type",
    )),
)  # fmt: skip

# HubSpot company export (labels; capitalisation varies between portals).
HUBSPOT = _vocab(
    ("Record ID", "external_id"), ("Company name", "name"), ("Name", "name"),
    ("Website URL", "website"), ("Company Domain Name", "website"), ("Industry", "industry"),
    ("Number of Employees", "employees"), ("Annual Revenue", "annual_revenue"),
    ("City", "city"), ("Country/Region", "country"), ("Country", "country"),
    ("Company owner", "owner"), ("Lifecycle Stage", "crm_status"), ("Type", "crm_status"),
    ("Parent Company", "parent"), ("Description", "notes"), ("About Us", "notes"),
    *((f, IGNORED) for f in (
        "Create Date", "Last Activity Date", "Last Modified Date", "Phone Number",
        "Street Address", "Street Address 2", "State/Region", "Postal Code", "Time Zone",
        "LinkedIn Company Page", "Facebook Company Page", "Twitter Handle", "Total Revenue",
        "Number of Associated Contacts", "Number of Associated Deals", "Associated Contact",
        "Associated Deal", "Year Founded", "Is Public", "Lead Status", "Target Account",
        "Ideal Customer Profile Tier", "Number of child companies", "Recent Deal Amount",
        "Record source", "Original Source Type", "Last Contacted", "Next Activity Date",
    )),
)  # fmt: skip

# Our own export (the ``account`` table) and friendly spellings a spreadsheet user writes.
GENERIC = _vocab(
    *((f, f) for f in ACCOUNT_FIELDS if f != "crm_status"),
    ("external id", "external_id"), ("annual revenue", "annual_revenue"),
    ("revenue", "annual_revenue"), ("description", "notes"), ("parent account", "parent"),
    ("supplier relationships", "incumbents"), ("why they buy", "why_buy"),
    ("next review", "next_review"), ("review cadence", "review_cadence"),
    ("financial situation", "financial_situation"), ("business strategy", "business_strategy"),
    ("strength of position", "strength_of_position"), ("account name", "name"),
    ("company", "name"),
    # our internal columns: ids and bookkeeping that mean nothing in another database
    *((f, IGNORED) for f in (
        "id", "parent_id", "owner_id", "status_since", "stage", "stage_since", "created_at",
        "updated_at", "version",
    )),
)  # fmt: skip

CONTACTS = _vocab(
    ("First Name", "first_name"), ("FirstName", "first_name"), ("Last Name", "last_name"),
    ("LastName", "last_name"), ("Name", "name"), ("Full Name", "name"),
    ("Contact Name", "name"), ("Email", "email"), ("Email Address", "email"),
    ("Job Title", "title"), ("Title", "title"), ("Company Name", "account"),
    ("Associated Company", "account"), ("Account Name", "account"), ("Account", "account"),
    ("Company", "account"), ("AccountId", "account"), ("Account ID", "account"),
    ("Phone Number", "phone"), ("Phone", "phone"), ("Mobile Phone Number", "phone"),
    ("MobilePhone", "phone"), ("Level", "level"),
    *((f, IGNORED) for f in (
        "id", "account_id", "counterpart_id", "version", "Record ID", "Contact owner",
        "Lifecycle Stage", "Create Date", "Last Activity Date", "Lead Status",
        "Salutation", "Department", "MailingStreet", "MailingCity", "MailingState",
        "MailingPostalCode", "MailingCountry", "OwnerId", "CreatedDate", "LastModifiedDate",
        "Marketing contact status", "Contact Owner",
    )),
)  # fmt: skip

ECONOMICS = _vocab(
    ("Account", "account"), ("Account Name", "account"), ("Company", "account"),
    ("Company Name", "account"), ("Account ID", "account"), ("AccountId", "account"),
    ("External ID", "account"), ("external_id", "account"), ("Period", "period"),
    ("Quarter", "period"), ("Month", "period"), ("period_start", "period_start"),
    ("Period Start", "period_start"), ("kind", "kind"), ("Revenue", "revenue"),
    ("Cost to serve", "cost_to_serve"), ("cost_to_serve", "cost_to_serve"),
    ("Cost", "cost_to_serve"), ("Gross profit", "gross_profit"),
    ("gross_profit", "gross_profit"), ("Profit", "gross_profit"), ("GP", "gross_profit"),
    ("Receivables", "receivables"),
    *((f, IGNORED) for f in ("id", "account_id", "version")),
)  # fmt: skip

ACCOUNT_FORMATS: dict[str, tuple[Mapping[str, str | None], ...]] = {
    "salesforce": (SALESFORCE_API, SALESFORCE_REPORT),
    "hubspot": (HUBSPOT,),
    "generic": (GENERIC,),
}
FORMAT_NAMES = ("auto", "salesforce", "hubspot", "generic")

# Why some known columns are not imported (said in the warning).
REASONS = {
    "ownerid": "Salesforce user ids, not names: export a report with Account Owner instead",
}


@dataclass
class ColumnMap:
    """The result of reading a header: which column feeds which field."""

    kind: str  # accounts | contacts | economics
    format: str  # a human label: "Salesforce (API names)", "HubSpot", ...
    columns: dict[int, str]  # column index -> field
    ignored: list[str]  # known columns we do not import
    unknown: list[str]  # columns we do not recognise


def detect_kind(headers: Iterable[str]) -> str:
    names = {norm(h) for h in headers}
    if names & {"period", "period_start", "period start", "quarter", "month"} and names & {
        "revenue"
    }:
        return "economics"
    person = names & {"first name", "firstname", "last name", "lastname"}
    company_only = names & {
        "annual revenue", "annualrevenue", "industry", "website", "website url",
        "company domain name", "number of employees", "numberofemployees", "employees",
        "external_id", "status",
    }  # fmt: skip
    link = names & {"company name", "associated company", "account name", "account",
                    "accountid", "account id"}  # fmt: skip
    if person and not company_only:
        return "contacts"
    if link and names & {"email", "title", "job title"} and not company_only:
        return "contacts"
    return "accounts"


def _score(names: list[str], vocab: Mapping[str, str | None]) -> int:
    return sum(1 for n in names if n in vocab)


def map_headers(
    headers: list[str], *, fmt: str = "auto", overrides: Mapping[str, str] | None = None
) -> ColumnMap:
    """Decide the kind of file and the field of every column. ``overrides`` come from
    ``--map`` (their header, case-insensitive → our field or '' to skip)."""
    names = [norm(h) for h in headers]
    kind = detect_kind(headers)
    label = ""
    if kind == "accounts":
        if fmt == "auto":
            candidates = ["salesforce", "hubspot", "generic"]
            fmt = max(
                candidates,
                key=lambda f: max(_score(names, v) for v in ACCOUNT_FORMATS[f]),
            )
        vocabs = ACCOUNT_FORMATS[fmt]
        if fmt == "salesforce":
            api, report = _score(names, SALESFORCE_API), _score(names, SALESFORCE_REPORT)
            label = "Salesforce (API names)" if api >= report else "Salesforce (report)"
            vocab: dict[str, str | None] = {**SALESFORCE_REPORT, **SALESFORCE_API}
            if report > api:
                vocab = {**SALESFORCE_API, **SALESFORCE_REPORT}
        else:
            label = {"hubspot": "HubSpot companies", "generic": "generic (kam columns)"}[fmt]
            vocab = dict(vocabs[0])
        fields: tuple[str, ...] = ACCOUNT_FIELDS
    elif kind == "contacts":
        vocab = dict(CONTACTS)
        fields = CONTACT_FIELDS
        if {"firstname", "lastname", "accountid"} & set(names):
            label = "Salesforce contacts"
        elif {"first name", "company name", "associated company"} & set(names):
            label = "HubSpot contacts"
        else:
            label = "contacts"
    else:
        vocab = dict(ECONOMICS)
        fields = ECONOMICS_FIELDS
        label = "economics by period"
    overrides = {norm(k): v for k, v in (overrides or {}).items()}
    for their, ours in overrides.items():
        if their not in names:
            raise ValueError(
                f"--map: the file has no column {their!r} (columns: {', '.join(headers)})"
            )
        if ours and ours not in fields:
            raise ValueError(
                f"--map: {ours!r} is not a {kind} field; use one of: {', '.join(fields)}"
            )
    columns: dict[int, str] = {}
    ignored: list[str] = []
    unknown: list[str] = []
    for i, (header, name) in enumerate(zip(headers, names, strict=True)):
        if name in overrides:
            target = overrides[name] or None
            if target is None:
                ignored.append(header.strip())
                continue
        elif name in vocab:
            target = vocab[name]
            if target is None:
                ignored.append(header.strip())
                continue
        else:
            if header.strip():
                unknown.append(header.strip())
            continue
        columns[i] = target
    return ColumnMap(kind, label, columns, ignored, unknown)


def _sf_checksum(id15: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    out = ""
    for chunk in (id15[0:5], id15[5:10], id15[10:15]):
        bits = sum(1 << i for i, c in enumerate(chunk) if "A" <= c <= "Z")
        out += alphabet[bits]
    return out


def ext_key(value: str) -> str:
    """The key an external id matches by. Salesforce shows one record as a 15-character
    id (reports) and as an 18-character one (API, Data Loader): the first 15 characters
    with a 3-character case checksum. A real 18-character id matches its 15-character
    form; anything else matches only itself."""
    if len(value) == 18 and value.isalnum() and value[15:] == _sf_checksum(value[:15]):
        return value[:15]
    return value


# --- statuses ------------------------------------------------------------------------------

OUR_STATUSES = ("prospect", "target", "customer", "key", "former")
STATUS_WORDS = {
    "key account": "key",
    "former key account": "former",
    "former customer": "former",
    "ex-customer": "former",
    # HubSpot lifecycle stages, labels and internal values
    "subscriber": "prospect",
    "lead": "prospect",
    "marketing qualified lead": "prospect",
    "marketingqualifiedlead": "prospect",
    "sales qualified lead": "prospect",
    "salesqualifiedlead": "prospect",
    "opportunity": "target",
    "evangelist": "customer",
}
# CRM values that describe a relationship kam does not track as a status: the account's
# status is left as it is (a new account starts as a prospect) and the import says so.
NOT_A_STATUS = frozenset(
    {
        "channel partner / reseller", "installation partner", "technology partner", "partner",
        "reseller", "vendor", "other", "analyst", "competitor", "integrator", "investor",
        "press", "supplier",
    }
)  # fmt: skip


def map_status(raw: str) -> str | None:
    """Our status for a status word; None for a known non-status CRM value.

    Raises ValueError for anything else (all or nothing: an unknown status is an error).
    """
    value = norm(raw)
    if value in OUR_STATUSES:
        return value
    if value in STATUS_WORDS:
        return STATUS_WORDS[value]
    if value.startswith("customer"):  # Salesforce "Customer - Direct" / "Customer - Channel"
        return "customer"
    if value in NOT_A_STATUS:
        return None
    raise ValueError(
        f"{raw.strip()!r} is not a status (prospect, target, customer, key, former, "
        "or a Salesforce Type / HubSpot lifecycle stage)"
    )


def refine_crm_status(current: str | None, incoming: str) -> str:
    """A CRM knows fewer statuses than kam: its 'customer' covers our key and former
    accounts, its 'prospect' our targets. Keep the finer status we hold."""
    if current in ("key", "former") and incoming == "customer":
        return current
    if current == "target" and incoming == "prospect":
        return current
    return incoming
