"""A second executor for the same rules: a plan compiled to plain Python, for one enterprise at a time.

Polars spends milliseconds planning a query of a thousand expressions, whatever the number of rows; for a single
self-assessment that planning is nearly all the work. This module reads each Polars expression of a plan (through
its JSON serialisation), and generates one Python function that computes every result column for one row, with
Polars' semantics: nulls propagate, ``&``/``|`` follow Kleene logic, a null predicate takes the ``otherwise``
branch, ``sum_horizontal`` skips nulls, integer division by zero is null.

The rules are still written once, as Polars expressions; ``test_properties`` checks that both executors agree on
arbitrary enterprises. An expression this module does not know raises :class:`Unsupported`, and the engine falls
back to Polars for that plan. The functions the generated code calls are in :mod:`.rowruntime`.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

import polars as pl

from gaoqi.rules.rowruntime import COMPARE, INTEGERS, RUNTIME, Unsupported

Row = dict[str, Any]
EPOCH = date(1970, 1, 1)

_BINARY = {
    "Plus": "_add",
    "Minus": "_sub",
    "Multiply": "_mul",
    "TrueDivide": "_div",
    "Divide": "_div",
    "FloorDivide": "_fdiv",
    "Modulus": "_mod",
    "And": "_and",
    "Or": "_or",
    "LogicalAnd": "_and",
    "LogicalOr": "_or",
    "Xor": "_xor",
    **{op: f"_{name}" for op, name in COMPARE.items()},
    "EqValidity": "_eqv",
    "NotEqValidity": "_nev",
}

_INLINE = {
    "_add": "+",
    "_sub": "-",
    "_mul": "*",
    "_eq": "==",
    "_ne": "!=",
    "_lt": "<",
    "_le": "<=",
    "_gt": ">",
    "_ge": ">=",
}
"""Operators written in place rather than called: most of a plan is such steps, and a call costs more than them."""


def _never_null(code: str) -> bool:
    """A literal other than null, or a null test: known at compile time not to be None."""
    return code != "None" and _is_constant(code)


def _null_if_any(code: str, operands: Iterable[str]) -> str:
    """``code``, or None when an operand is None (Polars' null propagation), testing only operands that can be."""
    operands = list(operands)
    if "None" in operands:
        return "None"
    tests = [f"{x} is None" for x in dict.fromkeys(operands) if not _never_null(x)]
    return f"None if {' or '.join(tests)} else {code}" if tests else f"({code})"


# ------------------------------------------------------------------------------------------- the compiler


class _Compiler:
    """Turns expression trees into Python source, one local variable per distinct subtree."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.memo: dict[str, str] = {}

    def value(self, node: Any) -> str:
        key = json.dumps(node, sort_keys=True)
        if key in self.memo:
            return self.memo[key]
        code = self._code(node)
        if code.isidentifier() or _is_constant(code) or _LOOKUP.fullmatch(code):
            return code
        name = f"t{len(self.memo)}"
        self.lines.append(f"    {name} = {code}")
        self.memo[key] = name
        return name

    def _code(self, node: Any) -> str:
        if isinstance(node, str):
            raise Unsupported(f"bare node {node!r}")
        (kind, body), *rest = node.items()
        if rest:
            raise Unsupported(f"node with several keys: {list(node)}")
        method = getattr(self, f"_n_{kind}", None)
        if method is None:
            raise Unsupported(f"expression kind {kind}")
        return str(method(body))

    def _n_Column(self, name: str) -> str:
        return f"r[{name!r}]"

    def _n_Alias(self, body: list[Any]) -> str:
        return self.value(body[0])

    def _n_Literal(self, body: Any) -> str:
        return _literal(body)

    def _n_BinaryExpr(self, body: dict[str, Any]) -> str:
        op = _BINARY.get(body["op"])
        if op is None or op in ("_eqv", "_nev"):
            raise Unsupported(f"binary op {body['op']}")
        left, right = self.value(body["left"]), self.value(body["right"])
        if op in _INLINE:
            return _null_if_any(f"{left} {_INLINE[op]} {right}", (left, right))
        return f"{op}({left}, {right})"

    def _n_Ternary(self, body: dict[str, Any]) -> str:
        predicate, truthy = self.value(body["predicate"]), self.value(body["truthy"])
        return f"{truthy} if {predicate} is True else {self.value(body['falsy'])}"

    def _n_Gather(self, body: dict[str, Any]) -> str:
        if body.get("returns_scalar"):
            raise Unsupported("gather returning a scalar")
        return f"_gather({self.value(body['expr'])}, {self.value(body['idx'])})"

    def _n_Cast(self, body: dict[str, Any]) -> str:
        dtype = body["dtype"]
        name = dtype.get("Literal") if isinstance(dtype, dict) else dtype
        if not isinstance(name, str):
            raise Unsupported(f"cast to {dtype}")
        value = self.value(body["expr"])
        if name in ("Float64", "Float32", "Boolean"):
            return _null_if_any(f"{'bool' if name == 'Boolean' else 'float'}({value})", (value,))
        if name in INTEGERS:
            return f"_int({value})"
        return f"_cast({value}, {name!r})"

    def _n_Function(self, body: dict[str, Any]) -> str:
        inputs = [self.value(i) for i in body["input"]]
        function = body["function"]
        name, options = (function, None) if isinstance(function, str) else next(iter(function.items()))
        return _function(name, options, inputs)


_LOOKUP = re.compile(r"r\[(?:'[^'\\]*'|\"[^\"\\]*\")\]")
"""A column read from the row, ``r['name']``: cheap enough to repeat where it is used."""


def _is_constant(code: str) -> bool:
    """A literal, or one parenthesised group (``_null_if_any`` wraps code whose operands are never null)."""
    try:
        float(code)
        return True
    except ValueError:
        return code in ("None", "True", "False") or code.startswith(("date(", "'", "frozenset(")) or _one_group(code)


def _one_group(code: str) -> bool:
    """``code`` is a single parenthesised group: ``(a is None)``, not ``(a) if b is True else c``."""
    if not code.startswith("("):
        return False
    depth = 0
    for i, char in enumerate(code):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return i == len(code) - 1
    return False


def _literal(body: Any) -> str:
    (kind, value), *_ = body.items()
    if kind == "Dyn":
        (sub, raw), *_ = value.items()
        if sub in ("Int", "Float"):
            return repr(raw) if sub == "Int" else repr(float(raw))
        if sub == "Str":
            return repr(raw)
        raise Unsupported(f"dynamic literal {sub}")
    if kind == "Scalar":
        return _scalar(value)
    if kind == "Series":  # a literal series (a lookup table) travels as an Arrow IPC stream
        values = pl.read_ipc_stream(io.BytesIO(bytes(value))).to_series().to_list()
        return repr(tuple(values))
    raise Unsupported(f"literal {kind}")


def _scalar(value: Any) -> str:
    if isinstance(value, dict):
        (dtype, raw), *_ = value.items()
    else:
        dtype, raw = value, None
    if dtype == "Null":
        return "None"
    if dtype == "Date":
        day = EPOCH + timedelta(days=int(raw))
        return f"date({day.year}, {day.month}, {day.day})"
    if dtype == "Boolean":
        return repr(bool(raw))
    if dtype in ("Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Int128"):
        return repr(int(raw))
    if dtype in ("Float32", "Float64"):
        return repr(float(raw))
    if dtype == "String":
        return repr(str(raw))
    if dtype == "List":  # a literal list (``is_in``) travels as an Arrow IPC stream
        values = pl.read_ipc_stream(io.BytesIO(bytes(raw))).to_series().to_list()
        return repr(frozenset(values))
    raise Unsupported(f"scalar {dtype}")


def _function(name: str, options: Any, inputs: list[str]) -> str:
    args = ", ".join(inputs)
    if name in ("FillNull", "Coalesce"):
        if len(inputs) == 2:
            first, then = inputs
            return first if _never_null(first) else f"{first} if {first} is not None else {then}"
        return f"_coalesce(({args},))"
    if name == "SumHorizontal":
        return f"_sum(({args},))"
    if name == "MinHorizontal":
        return f"_min(({args},))"
    if name == "MaxHorizontal":
        return f"_max(({args},))"
    if name == "Boolean":
        return _boolean(options, inputs)
    if name == "TemporalExpr":
        return _temporal(options, inputs)
    if name == "Round":
        decimals = options.get("decimals", 0) if isinstance(options, dict) else 0
        mode = options.get("mode", "HalfToEven") if isinstance(options, dict) else "HalfToEven"
        return f"_round({inputs[0]}, {decimals}, {mode!r})"
    if name in ("Floor", "Ceil", "Abs", "Negate"):
        return f"_{ {'Negate': 'neg'}.get(name, name.lower()) }({inputs[0]})"
    if name == "Pow":
        return f"_sqrt({inputs[0]})" if options == "Sqrt" else f"_pow({inputs[0]}, {inputs[1]})"
    if name == "StringExpr":
        return _string(options, inputs)
    if name == "SearchSorted":
        side = options.get("side", "Any") if isinstance(options, dict) else "Any"
        if (isinstance(options, dict) and options.get("descending")) or side not in ("Left", "Right", "Any"):
            raise Unsupported(f"search_sorted {options}")
        return f"_search_sorted({inputs[0]}, {inputs[1]}, {side == 'Right'})"
    if name == "Clip":
        has_min = options.get("has_min", True) if isinstance(options, dict) else True
        has_max = options.get("has_max", True) if isinstance(options, dict) else True
        rest = iter(inputs[1:])
        low = next(rest) if has_min else "None"
        high = next(rest) if has_max else "None"
        return f"_clip({inputs[0]}, {low}, {high})"
    raise Unsupported(f"function {name} {options}")


def _boolean(options: Any, inputs: list[str]) -> str:
    name, detail = (options, None) if isinstance(options, str) else next(iter(options.items()))
    if name == "Not":
        return _null_if_any(f"not {inputs[0]}", inputs[:1])
    if name in ("IsNull", "IsNotNull") and _is_constant(inputs[0]):  # a literal: known now
        return repr((inputs[0] == "None") == (name == "IsNull"))
    if name == "IsNull":
        return f"({inputs[0]} is None)"
    if name == "IsNotNull":
        return f"({inputs[0]} is not None)"
    if name == "AllHorizontal":
        return f"_all(({', '.join(inputs)},))"
    if name == "AnyHorizontal":
        return f"_any(({', '.join(inputs)},))"
    if name == "IsIn":
        return f"_is_in({inputs[0]}, {inputs[1]})"
    if name == "IsBetween":
        closed = detail.get("closed", "Both") if isinstance(detail, dict) else "Both"
        return f"_between({inputs[0]}, {inputs[1]}, {inputs[2]}, {closed!r})"
    raise Unsupported(f"boolean function {name}")


def _string(options: Any, inputs: list[str]) -> str:
    name, detail = (options, None) if isinstance(options, str) else next(iter(options.items()))
    if name == "Slice":
        return f"_str_slice({inputs[0]}, {inputs[1]}, {inputs[2]})"
    if name == "StartsWith":
        return f"_str_call({inputs[0]}, 'startswith', {inputs[1]})"
    if name == "EndsWith":
        return f"_str_call({inputs[0]}, 'endswith', {inputs[1]})"
    if name == "Contains":
        literal = bool(detail.get("literal")) if isinstance(detail, dict) else False
        return f"_str_contains({inputs[0]}, {inputs[1]}, {literal})"
    raise Unsupported(f"string function {name}")


def _temporal(options: Any, inputs: list[str]) -> str:
    name = options if isinstance(options, str) else next(iter(options))
    if name == "Year":
        return f"_year({inputs[0]})"
    if name == "TotalDays":
        return f"_total_days({inputs[0]})"
    if name == "OffsetBy":
        return f"_offset_by({inputs[0]}, {inputs[1]})"
    raise Unsupported(f"temporal function {name}")


def _read_by(stages: list[tuple[pl.Expr, ...]], outputs: tuple[pl.Expr, ...]) -> set[str]:
    """The derived columns that ``outputs`` read, directly or through other derived columns."""
    needed = {root for expr in outputs for root in expr.meta.root_names()}
    for stage in reversed(stages):  # a stage reads only earlier ones: one pass from the last stage back
        for expr in stage:
            if expr.meta.output_name() in needed:
                needed.update(expr.meta.root_names())
    return needed


def compile_columns(stages: Iterable[Iterable[pl.Expr]], outputs: Iterable[pl.Expr]) -> Callable[[Row], Row]:
    """One Python function computing ``outputs`` for a row, after the derived ``stages`` (in order).

    Derived columns no output reads are left out, as Polars' optimiser leaves them out of a query: an evaluation
    without explanations skips what only the explanations need.
    """
    staged, written = [tuple(stage) for stage in stages], tuple(outputs)
    needed = _read_by(staged, written)
    compiler = _Compiler()
    for stage in staged:
        assigned = []
        for expr in (e for e in stage if e.meta.output_name() in needed):
            code = compiler.value(json.loads(expr.meta.serialize(format="json")))
            assigned.append((expr.meta.output_name(), code))
        for name, code in assigned:  # a stage reads only earlier stages: assign after computing all of it
            compiler.lines.append(f"    r[{name!r}] = {code}")
    reread = {root for expr in written for root in expr.meta.root_names()}
    for expr in written:  # in order: program outcomes read the criterion columns written before them
        code = compiler.value(json.loads(expr.meta.serialize(format="json")))
        name = expr.meta.output_name()
        compiler.lines.append(f"    o[{name!r}] = {f'r[{name!r}] = ' if name in reread else ''}{code}")
    source = "def run(r):\n    r = dict(r)\n    o = {}\n" + "\n".join(compiler.lines) + "\n    return o\n"
    namespace = dict(RUNTIME)
    exec(compile(source, "<gaoqi.rules.rowplan>", "exec"), namespace)
    run: Callable[[Row], Row] = namespace["run"]
    return run
