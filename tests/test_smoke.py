from __future__ import annotations

from kamtui.services.accounts import count_accounts


def test_demo_fixture_has_accounts(demo_db) -> None:  # type: ignore[no-untyped-def]
    assert count_accounts(demo_db) == 60


def test_the_install_is_quiet() -> None:
    """`make run` on a fresh machine prints only its commands (#14 item 7): the licence
    is an SPDX string (a TOML table made setuptools warn twice per install) and the
    Makefile filters setuptools' editable-install notice."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert isinstance(project["project"]["license"], str)
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if "install --quiet -e" in line]
    assert installs and all(line.strip().startswith("$(PIP)") for line in installs)
    assert "PIP := PYTHONWARNINGS=ignore::UserWarning" in makefile
