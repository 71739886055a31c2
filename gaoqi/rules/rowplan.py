"""A second executor for the same rules: a plan compiled to plain Python, for one enterprise at a time.

Polars spends milliseconds planning a query of a thousand expressions, whatever the number of rows; for a single
self-assessment that planning is nearly all the work. This module reads each Polars expression of a plan (through
its JSON serialisation), and generates one Python function that computes every result column for one row, with
Polars' semantics: nulls propagate, ``&``/``|`` follow Kleene logic, a null predicate takes the ``otherwise``
branch, ``sum_horizontal`` skips nulls, integer division by zero is null.

The rules are still written once, as Polars expressions; ``test_properties`` checks that both executors agree on
arbitrary enterprises. An expression this module does not know raises :class:`Unsupported`, and the engine falls
back to Polars for that plan.
"""

from __future__ import annotations

import bisect
import io
import json
import math
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

import polars as pl

Row = dict[str, Any]
EPOCH = date(1970, 1, 1)


class Unsupported(NotImplementedError):
    """An expression node the Python executor cannot run; the caller uses Polars instead."""


# ------------------------------------------------------------------------------------------- runtime helpers


def _arith(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def run(a: Any, b: Any) -> Any:
        return None if a is None or b is None else op(a, b)

    return run


def _floordiv(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    if b == 0:
        return None if isinstance(a, int) and isinstance(b, int) else _truediv(a, b)
    if isinstance(a, int) and isinstance(b, int):
        return a // b
    return math.floor(a / b)


def _truediv(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    if b == 0:
        return math.nan if a == 0 else math.copysign(math.inf, a) * (math.copysign(1, b) if isinstance(b, float) else 1)
    return a / b


def _minus(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    return a - b


def _and(a: Any, b: Any) -> Any:
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        if a is False or b is False:
            return False
        if a is None or b is None:
            return None
        return True
    return a & b


def _or(a: Any, b: Any) -> Any:
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        if a is True or b is True:
            return True
        if a is None or b is None:
            return None
        return False
    return a | b


def _horizontal(values: Iterable[Any], op: Callable[[list[Any]], Any], empty: Any) -> Any:
    known = [v for v in values if v is not None]
    return op(known) if known else empty


def _all(values: Iterable[Any]) -> Any:
    result: Any = True
    for v in values:
        result = _and(result, v)
    return result


def _any(values: Iterable[Any]) -> Any:
    result: Any = False
    for v in values:
        result = _or(result, v)
    return result


def _coalesce(values: Iterable[Any]) -> Any:
    for v in values:
        if v is not None:
            return v
    return None


def _int(value: Any) -> Any:
    """A cast to an integer type; a float that is not finite has no integer value (null, as Polars casts it)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return int(value)


def _cast(value: Any, dtype: str) -> Any:
    if value is None:
        return None
    if dtype in ("Float64", "Float32"):
        return float(value)
    if dtype in _INTEGERS:
        return _int(value)
    if dtype == "Boolean":
        return bool(value)
    if dtype == "String":
        return value if isinstance(value, str) else str(value)
    if dtype == "Date":
        return value
    raise Unsupported(f"cast to {dtype}")


def _offset_by(value: Any, by: str) -> Any:
    if value is None or by is None:
        return None
    if by.endswith("y") and by[:-1].lstrip("-").isdigit():
        years = int(by[:-1])
        try:
            return value.replace(year=value.year + years)
        except ValueError:  # 29 February in a common year: Polars clamps to the month's end
            return value.replace(year=value.year + years, day=28)
    if by.endswith("d") and by[:-1].lstrip("-").isdigit():
        return value + timedelta(days=int(by[:-1]))
    raise Unsupported(f"offset_by {by!r}")


def _total_days(value: Any) -> Any:
    return None if value is None else value.days


def _year(value: Any) -> Any:
    return None if value is None else value.year


def _round(value: Any, decimals: int, mode: str) -> Any:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if mode == "HalfToEven":
        return round(value, decimals) if decimals else float(round(value))
    factor = 10**decimals
    return math.copysign(math.floor(abs(value) * factor + 0.5), value) / factor


def _str_slice(value: Any, offset: Any, length: Any) -> Any:
    if value is None or offset is None:
        return None
    return value[offset:] if length is None else value[offset : offset + length]


def _str_call(value: Any, method: str, argument: Any) -> Any:
    if value is None or argument is None:
        return None
    return getattr(value, method)(argument)


def _str_contains(value: Any, pattern: Any, literal: bool) -> Any:
    if value is None or pattern is None:
        return None
    return pattern in value if literal else re.search(pattern, value) is not None


def _unary(op: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def run(a: Any) -> Any:
        return None if a is None else op(a)

    return run


def _between(value: Any, low: Any, high: Any, closed: str) -> Any:
    if value is None or low is None or high is None:
        return None
    left = value >= low if closed in ("Both", "Left") else value > low
    right = value <= high if closed in ("Both", "Right") else value < high
    return left and right


def _is_in(value: Any, options: Any) -> Any:
    if value is None:
        return None
    return value in options


def _search_sorted(values: tuple[Any, ...], value: Any, right: bool) -> Any:
    """Where ``value`` goes in the sorted ``values`` (Polars puts nulls first: index 0)."""
    if value is None:
        return 0
    return bisect.bisect_right(values, value) if right else bisect.bisect_left(values, value)


def _gather(values: tuple[Any, ...], index: Any) -> Any:
    return None if index is None else values[index]


def _sqrt(value: Any) -> Any:
    if value is None:
        return None
    return math.sqrt(value) if value >= 0 else math.nan


def _pow(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    return a**b


def _abs(value: Any) -> Any:
    return None if value is None else abs(value)


def _floor(value: Any) -> Any:
    return None if value is None else (value if isinstance(value, int) else float(math.floor(value)))


def _ceil(value: Any) -> Any:
    return None if value is None else (value if isinstance(value, int) else float(math.ceil(value)))


def _clip(value: Any, low: Any, high: Any) -> Any:
    if value is None:
        return None
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    return value


_COMPARE = {
    "Eq": "eq",
    "NotEq": "ne",
    "Lt": "lt",
    "LtEq": "le",
    "Gt": "gt",
    "GtEq": "ge",
}

RUNTIME: dict[str, Any] = {
    "_add": _arith(lambda a, b: a + b),
    "_sub": _minus,
    "_mul": _arith(lambda a, b: a * b),
    "_div": _truediv,
    "_fdiv": _floordiv,
    "_mod": _arith(lambda a, b: None if b == 0 else a % b),
    "_eq": _arith(lambda a, b: a == b),
    "_ne": _arith(lambda a, b: a != b),
    "_lt": _arith(lambda a, b: a < b),
    "_le": _arith(lambda a, b: a <= b),
    "_gt": _arith(lambda a, b: a > b),
    "_ge": _arith(lambda a, b: a >= b),
    "_and": _and,
    "_or": _or,
    "_xor": _arith(lambda a, b: a ^ b),
    "_sum": lambda values: _horizontal(values, sum, 0),
    "_min": lambda values: _horizontal(values, min, None),
    "_max": lambda values: _horizontal(values, max, None),
    "_all": _all,
    "_any": _any,
    "_coalesce": _coalesce,
    "_cast": _cast,
    "_int": _int,
    "_offset_by": _offset_by,
    "_total_days": _total_days,
    "_year": _year,
    "_round": _round,
    "_between": _between,
    "_is_in": _is_in,
    "_sqrt": _sqrt,
    "_pow": _pow,
    "_abs": _abs,
    "_floor": _floor,
    "_ceil": _ceil,
    "_clip": _clip,
    "_neg": _unary(lambda a: -a),
    "_str_slice": _str_slice,
    "_search_sorted": _search_sorted,
    "_gather": _gather,
    "_str_call": _str_call,
    "_str_contains": _str_contains,
    "date": date,
    "nan": math.nan,
    "inf": math.inf,
}

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
    **{op: f"_{name}" for op, name in _COMPARE.items()},
    "EqValidity": "_eqv",
    "NotEqValidity": "_nev",
}

_INTEGERS = ("Int8", "Int16", "Int32", "Int64", "Int128", "UInt8", "UInt16", "UInt32", "UInt64")

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
        if name in _INTEGERS:
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
    try:
        float(code)
        return True
    except ValueError:
        return code in ("None", "True", "False") or code.startswith(("date(", "'", "(", "frozenset("))


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
