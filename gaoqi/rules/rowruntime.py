"""What the code :mod:`.rowplan` generates calls at run time: Polars' semantics for one row of plain values.

Nulls propagate, ``&``/``|`` follow Kleene logic, ``sum_horizontal`` skips nulls, integer division by zero is null;
:data:`RUNTIME` is the namespace the generated function runs in.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

INTEGERS = ("Int8", "Int16", "Int32", "Int64", "Int128", "UInt8", "UInt16", "UInt32", "UInt64")


class Unsupported(NotImplementedError):
    """An expression node the Python executor cannot run; the caller uses Polars instead."""


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
    if dtype in INTEGERS:
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


COMPARE = {
    "Eq": "eq",
    "NotEq": "ne",
    "Lt": "lt",
    "LtEq": "le",
    "Gt": "gt",
    "GtEq": "ge",
}

RUNTIME: dict[str, Any] = {  # arithmetic and comparisons are written in place by the compiler (``_INLINE``)
    "_div": _truediv,
    "_fdiv": _floordiv,
    "_mod": _arith(lambda a, b: None if b == 0 else a % b),
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
