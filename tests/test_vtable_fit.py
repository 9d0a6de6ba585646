"""fit() counts terminal cells: wide characters, emoji and combining marks."""

from __future__ import annotations

from rich.cells import cell_len

from kamtui.widgets.vtable import fit


def test_wide_names_take_exactly_their_cells() -> None:
    for name in ("株式会社トヨタ自動車", "华为技术有限公司", "Café 👩‍💻 GmbH", "Acme"):
        for width in range(1, 24):
            assert cell_len(fit(name, width)) == width, (name, width)


def test_a_wide_character_at_the_cut_is_left_out_whole() -> None:
    assert fit("株式会社", 6) == "株式… "
    assert fit("株式会社", 7) == "株式会…"


def test_combining_marks_stay_with_their_letter() -> None:
    assert fit("Cafe\u0301 Noir", 5) == "Cafe\u0301…"


def test_control_characters_do_not_break_the_line() -> None:
    assert fit("a\tb\nc", 6) == "a b c "
