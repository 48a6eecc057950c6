"""Client codes: short, easy to read aloud, and far too many to guess.

A code is 12 symbols of Crockford's base 32 (no I, L, O or U), 60 bits of randomness from ``secrets``:
about 1.15e18 codes. Someone trying a thousand codes a second against a practice of 1,000 clients would
need, on average, over 18,000 years to hit any one of them.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
BITS = LENGTH * 5
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh random code, grouped for reading: ``K7QD-M2XP-9FRA``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalize_code(typed: str) -> str | None:
    """The canonical form of a typed code, or None when it cannot be one.

    Case, spaces and dashes are ignored, and O/I/L are read as 0/1, as Crockford's alphabet intends.
    """
    compact = "".join(typed.split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(compact) != LENGTH or any(symbol not in ALPHABET for symbol in compact):
        return None
    return "-".join(compact[i : i + GROUP] for i in range(0, LENGTH, GROUP))
