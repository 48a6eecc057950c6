"""Client codes: 12 symbols of Crockford's base 32 in groups of four, forgiving when typed."""

import re
import string

import pytest

from coachkit.codes import ALPHABET, BITS, LENGTH, new_code, normalize_code

SYMBOL = f"[{re.escape(ALPHABET)}]"
CODE_FORMAT = re.compile(rf"^{SYMBOL}{{4}}-{SYMBOL}{{4}}-{SYMBOL}{{4}}$")


def test_the_alphabet_is_crockfords_base_32():
    assert len(ALPHABET) == 32
    assert set(ALPHABET) == set(string.digits + string.ascii_uppercase) - set("ILOU")


def test_a_code_carries_60_bits():
    assert BITS == 60
    assert LENGTH == 12


def test_new_code_is_12_symbols_grouped_4_4_4():
    for _ in range(100):
        code = new_code()
        assert CODE_FORMAT.match(code), code


def test_new_codes_are_all_distinct():
    assert len({new_code() for _ in range(1000)}) == 1000


def test_new_codes_use_the_whole_alphabet():
    # 1,000 codes draw 12,000 symbols; missing any of 32 would be absurdly unlikely if random.
    seen = set("".join(new_code() for _ in range(1000)).replace("-", ""))
    assert seen == set(ALPHABET)


def test_a_new_code_is_already_normal():
    code = new_code()
    assert normalize_code(code) == code


@pytest.mark.parametrize(
    "typed",
    [
        "K7QD-M2XP-9FRA",
        "k7qd-m2xp-9fra",
        "K7QDM2XP9FRA",
        "K7QD M2XP 9FRA",
        "  k7 qd-m2 xp\t9f ra \n",
        "K-7-Q-D-M-2-X-P-9-F-R-A",
        "K7QD--M2XP--9FRA",
    ],
)
def test_normalize_code_ignores_case_spaces_and_dashes(typed):
    assert normalize_code(typed) == "K7QD-M2XP-9FRA"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("OOOO-IIII-LLLL", "0000-1111-1111"),
        ("oooo-iiii-llll", "0000-1111-1111"),
        ("K7QD-M2XP-9FOI", "K7QD-M2XP-9F01"),
    ],
)
def test_normalize_code_reads_o_as_zero_and_i_l_as_one(typed, canonical):
    assert normalize_code(typed) == canonical


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "---",
        "K7QD-M2XP-9FR",
        "K7QD-M2XP-9FRAA",
        "K7QD-M2XP-9FRU",
        "K7QD-M2XP-9FR!",
        "K7QD_M2XP_9FRA",
        "K7QD-M2XP-9FR١",
        "K7QD-M2XP-9FRß",
    ],
    ids=[
        "empty",
        "blank",
        "dashes-only",
        "too-short",
        "too-long",
        "u",
        "punctuation",
        "underscores",
        "arabic-digit",
        "sharp-s",
    ],
)
def test_normalize_code_refuses_what_cannot_be_a_code(typed):
    assert normalize_code(typed) is None
