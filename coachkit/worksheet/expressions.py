"""The small, safe expression language of worksheet files: conditions, values and measures.

An expression is one line of Python-like syntax over the answers, for example
``felt_unsafe == "yes" or frequency in ["weekly", "daily"]`` or ``count_true(noticed, said_statements)``.
Only names (answers, carried answers, named values), literals (text, numbers, True, False, None, lists),
comparisons, ``and``/``or``/``not``, ``x if c else y``, arithmetic and calls to the functions in
``functions.py`` are allowed. Anything that could reach Python itself (attribute access, subscripts,
dunder names, lambdas, comprehensions, imports) is refused when the file is read, with a plain message,
and so is one past the limits on its length, parts and nesting (``limits.py``).
Evaluation is by simpleeval (never Python's ``eval``), on the server, within a budget (``budget.py``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from coachkit.worksheet import limits
from coachkit.worksheet.budget import BudgetedEval, OverLimit

ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Mod,
    ast.FloorDiv,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.List,
    ast.Tuple,
)
CONSTANTS = {"True": True, "False": False, "None": None, "true": True, "false": False, "none": None}
NODE_WORDS = {
    ast.Attribute: "a dot (attribute access)",
    ast.Subscript: "square brackets after a name",
    ast.Lambda: "lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.Starred: "a star (*)",
    ast.NamedExpr: ":=",
    ast.Dict: "a dictionary",
    ast.Set: "a set",
    ast.JoinedStr: "an f-string",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.Pow: "** (a power)",
    ast.BitAnd: "& (use `and`)",
    ast.BitOr: "| (use `or`)",
    ast.BitXor: "^",
    ast.Invert: "~ (use `not`)",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.MatMult: "@",
}


class ExpressionError(ValueError):
    """An expression that cannot be used; the message says why, in plain words."""


class NoValue(ValueError):
    """An expression that has no value for some answers; the message says why, in plain words.

    ``over_limit`` when it stopped at a limit (``budget.py``) rather than, say, comparing a number with
    no answer, which is ordinary for answers not given yet.
    """

    def __init__(self, message: str, *, over_limit: bool = False) -> None:
        super().__init__(message)
        self.over_limit = over_limit


FAILURE_WORDS: dict[type[BaseException], str] = {
    TypeError: "it mixes values that do not go together (a number and a text, say)",
    ZeroDivisionError: "it divides by zero",
    OverflowError: "a number grows too large",
    RecursionError: "it nests too deeply",
    MemoryError: "it needs too much memory",
}


def _refuse(node: ast.AST, functions: Collection[str]) -> str | None:
    """Why a syntax node is not allowed, or None when it is."""
    name = node.func if isinstance(node, ast.Call) else node
    if isinstance(name, ast.Name) and name.id.startswith("_"):
        return f"the name {name.id!r} starts with an underscore, which is not allowed"
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            return "only the listed functions can be called, by name"
        if node.func.id not in functions:
            known = ", ".join(sorted(functions))
            return f"there is no function {node.func.id!r} (the functions are: {known})"
        if node.keywords:
            return "functions take plain values, not name=value"
    if isinstance(node, ast.Constant) and not isinstance(node.value, str | int | float | bool | type(None)):
        return f"{node.value!r} is not a value an expression can hold"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_text(node.left):
        return "`%` on a text formats it, which is not allowed (use `+` to join texts)"
    if not isinstance(node, ALLOWED_NODES):
        what = NODE_WORDS.get(type(node), type(node).__name__)
        return f"{what} is not allowed in an expression"
    return None


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _parse(source: str) -> ast.Expression:
    """The syntax tree of ``source``, held to the limits on length, parts and nesting."""
    if len(source) > limits.MAX_EXPRESSION_CHARS:
        raise ExpressionError(
            f"it is {len(source):,} characters long; an expression holds at most "
            f"{limits.MAX_EXPRESSION_CHARS:,} (use named `values:` for its parts)"
        )
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"it does not read as an expression ({error.msg})") from None
    except (RecursionError, MemoryError):
        raise ExpressionError(TOO_DEEP) from None
    nodes, todo = 0, [(tree, 1)]
    while todo:
        node, depth = todo.pop()
        nodes += 1
        if depth > limits.MAX_EXPRESSION_DEPTH:
            raise ExpressionError(TOO_DEEP)
        todo.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    if nodes > limits.MAX_EXPRESSION_NODES:
        raise ExpressionError(
            f"it has {nodes:,} parts; an expression holds at most {limits.MAX_EXPRESSION_NODES:,} "
            "(use named `values:` for its parts)"
        )
    return tree


TOO_DEEP = f"it nests parts more than {limits.MAX_EXPRESSION_DEPTH} deep; use named `values:` for its parts"


@dataclass(frozen=True)
class Expression:
    """A checked expression; ``names`` are the answers and values it reads (functions excluded)."""

    source: str
    tree: ast.Expression = field(repr=False, compare=False)
    names: frozenset[str] = frozenset()

    @classmethod
    def compile(cls, source: object, functions: Collection[str]) -> Expression:
        """Parse and check ``source`` against the names of the ``functions`` it may call.

        ``ExpressionError`` says plainly what is wrong.
        """
        if isinstance(source, bool | int | float):
            source = repr(source)
        if not isinstance(source, str) or not source.strip():
            raise ExpressionError("an expression must be a line of text")
        tree = _parse(source.strip())
        names: set[str] = set()
        for node in ast.walk(tree):
            problem = _refuse(node, functions)
            if problem:
                raise ExpressionError(problem)
            if isinstance(node, ast.Name) and node.id not in functions and node.id not in CONSTANTS:
                names.add(node.id)
        return cls(source.strip(), tree, frozenset(names))

    def evaluate(self, names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> Any:
        """The value for these names (a name with no value reads as None), or None if it cannot be had.

        An expression that fails on these answers (a number compared with no answer, say), or stops at a
        limit, gives None, so a condition simply does not hold.
        """
        try:
            return self.outcome(names, functions)
        except NoValue:
            return None

    def outcome(self, names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> Any:
        """The value for these names; ``NoValue`` says plainly why there is none.

        Every failure of the evaluator becomes ``NoValue``: whatever a file and the answers hold, nothing
        else leaves here.
        """
        known = {**dict.fromkeys(self.names), **{k: names[k] for k in self.names if k in names}, **CONSTANTS}
        try:
            return BudgetedEval(known, functions).eval(self.source, previously_parsed=self.tree.body)
        except OverLimit as error:
            raise NoValue(str(error), over_limit=True) from None
        except Exception as error:  # any failure at all means no value (FAILURE_WORDS says which)
            words = next((w for kind, w in FAILURE_WORDS.items() if isinstance(error, kind)), None)
            raise NoValue(words or f"it cannot be worked out ({type(error).__name__})") from None
