"""The values a form's reference fields may take, read from the database when the form
opens (``FormField.load``): accounts, our people, the objectives of the account typed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kamtui.screens.dialogs.form import FormField
from kamtui.services import fields as f


def accounts(db: Any, typed: Mapping[str, str]) -> list[str]:
    from kamtui.services.accounts import account_names

    return account_names(db)


def people(db: Any, typed: Mapping[str, str]) -> list[str]:
    from kamtui.services.accounts import person_names

    return person_names(db)


def objectives(db: Any, typed: Mapping[str, str]) -> list[str]:
    from kamtui.services.plans import objective_titles

    return objective_titles(db, typed.get("account", ""))


# field name → (loader, the fields whose change reads it again, said when there is none)
REFERENCES: dict[str, tuple[Any, tuple[str, ...], str]] = {
    "account": (accounts, (), "no accounts yet"),
    "owner": (people, (), "no people yet: an owner typed here is refused"),
    "objective": (objectives, ("account",), "this account has no objectives yet (o adds one)"),
}


def spec_fields(
    specs: Mapping[str, f.FieldSpec],
    values: Mapping[str, str],
    *,
    helps: Mapping[str, str] | None = None,
    choices: Mapping[str, Sequence[str]] | None = None,
    references: Sequence[str] = (),
) -> list[FormField]:
    """A form's fields from the services' field specs: a choice field lists its values
    (one is needed), a field named in ``references`` lists what it may refer to, read
    when the form opens; ``choices`` adds known values (suggested, not required)."""
    out = []
    for name, spec in specs.items():
        allowed = f.choices_of(spec)
        load, reload_on, empty = REFERENCES[name] if name in references else (None, (), "")
        out.append(
            FormField(
                name,
                spec.label,
                values.get(name, ""),
                (helps or {}).get(name, spec.help),
                choices=tuple(allowed or (choices or {}).get(name, ())),
                strict=bool(allowed) or load is not None,
                load=load,
                reload_on=reload_on,
                empty=empty,
                max_length=f.max_length_of(spec),
            )
        )
    return out
