"""House rule: the domain layers never import Textual."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("textual imported below the UI layer: " + name)
sys.meta_path.insert(0, Block())
import pkgutil, importlib, kamtui.services, kamtui.io
import kamtui.models, kamtui.db, kamtui.migrate, kamtui.money, kamtui.cli
for pkg in (kamtui.services, kamtui.io):
    for info in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + "."):
        importlib.import_module(info.name)
print("ok")
"""


def test_services_models_and_io_do_not_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_start_up_does_not_import_heavy_modules() -> None:
    code = (
        "import sys, kamtui.app, kamtui.screens.accounts, kamtui.cli;"
        "print(sorted(m for m in ('alembic','openpyxl','icalendar','sqlmodel','sqlalchemy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stderr
