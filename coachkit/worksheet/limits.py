"""How much a worksheet file may ask of the machine: its size, its YAML, its expressions and patterns.

A worksheet file may come from a colleague or a forum, so it is read as untrusted input: each limit is
enforced while the file is read or an expression runs, before anything large is built, and each is far
above what a real worksheet needs (the numbers in brackets are the largest among the built-in ones).
"""

from __future__ import annotations

# -- the file and its YAML (yaml_source.py) ------------------------------------------------------------

MAX_FILE_BYTES = 256 * 1024
"""A worksheet or library file's size on disk (15 KB)."""
MAX_DEPTH = 20
"""Lists and sets of `key: value` lines inside each other (7)."""
MAX_ITEMS = 500
"""Items in one list, or keys in one set of `key: value` lines (17)."""
MAX_ALIASES = 100
"""``*name`` references to an ``&name`` anchor in one file (6)."""
MAX_NODES = 50_000
"""Values in the whole file once every alias is written out in full (610)."""

# -- expressions (expressions.py, budget.py) -------------------------------------------------------------

MAX_EXPRESSION_CHARS = 2_000
"""Characters in one expression (464)."""
MAX_EXPRESSION_NODES = 300
"""Names, values, operators and calls in one expression (48)."""
MAX_EXPRESSION_DEPTH = 50
"""Parts inside parts of one expression, brackets included (9)."""
MAX_TEXT = 100_000
"""Characters in any text an expression builds, and items in any list (with the characters in them)."""
MAX_NUMBER = 10**15
"""The largest whole number an expression may reach, either side of zero."""
MAX_WORK = 1_000_000
"""One evaluation's budget: each step costs 1 plus the size of the value it makes (a text's length)."""

# -- patterns (``refuse: - matches:``, patterns.py) --------------------------------------------------------

MAX_PATTERN_CHARS = 2_000
"""Characters in one pattern (291)."""
PATTERN_SECONDS = 0.1
"""How long one pattern may look at one answer; past that the answer is taken as not matching."""

# -- what ``coachkit worksheet check`` calls slow (stress.py) ---------------------------------------------

SLOW_SECONDS = 0.05
"""An expression or pattern taking longer than this on the largest answers gets a note (built-in: most under
1 ms; the safety net's search of every text box, all full, about 0.2 s)."""
