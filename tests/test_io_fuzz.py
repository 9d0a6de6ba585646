"""Whatever bytes a file holds, the importer answers with a plan or a clear KamError —
never a crash (RELIABILITY.md 19: a fuzzer found BOM + invalid UTF-8 in a minute)."""

from __future__ import annotations

import codecs
import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamtui.errors import KamError
from kamtui.io.importer import prepare_import
from kamtui.io.plan import Options

PIECES = st.sampled_from(
    [b"Name", b"Id", b"AnnualRevenue", b"Type", b"ParentId", b",", b";", b'"', b'""', b"\r\n",
     b"\n", b"\r", b"\x00", codecs.BOM_UTF8, b"\xff\xfe", b"\xe9", b"Acme", b"-5", b"1,200",
     b"Customer", b"Prospect", b"Lead", b"'=1", b"2026-Q1", b"Period", b"Revenue", b"First Name",
     b"Company Name", b" ", b"\t", b"1.5E7", b"\xc3\xa9"]
)  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.one_of(st.binary(max_size=300), st.lists(PIECES, max_size=60).map(b"".join)),
    decimal_comma=st.booleans(),
)
def test_any_bytes_give_a_plan_or_a_clear_error(
    demo_db, content: bytes, decimal_comma: bool
) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_bytes(content)
        try:
            plan = prepare_import(
                demo_db, path, Options(decimal_comma=decimal_comma), dt.date(2026, 11, 16)
            )
        except KamError as exc:
            assert str(exc) and "\n" not in str(exc)
            return
        assert plan.problems or plan.write is not None
