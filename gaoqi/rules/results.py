"""Reading a results row back into words: the JSON shape of ``shared/reference/facts.md``.

Numbers leave as decimal strings (never floats in JSON): ratios to four places, yuan to the fen, counts whole.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gaoqi.rules.engine import CriterionPlan, Plan

OUTCOME_WORDS: dict[bool | None, str] = {True: "pass", False: "fail", None: "undetermined"}

_PLACES = {
    "precise": Decimal("0.00000001"),
    "ratio": Decimal("0.0001"),
    "yuan": Decimal("0.01"),
    "persons": Decimal("0.01"),
    "points": Decimal("0.1"),
}


def format_number(value: float | int | None, unit: str, *, gap: bool = False) -> str | None:
    """A number as a decimal string in its unit; gaps round up (what you must still add), values half up."""
    if value is None:
        return None
    is_whole = type(value) is int or (type(value) is float and value.is_integer())
    if is_whole and unit not in ("fen", "ratio") and 0 < abs(value) < 1e15:
        return str(int(value))  # what the rounding below writes for a whole number, without decimals (fast path)
    number = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    if unit == "fen":  # exact money outputs are whole fen; shown as yuan to two places
        return str((number / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if gap and unit in ("yuan", "persons", "items", "days", "points", "count"):
        return str(number.to_integral_value(rounding=ROUND_CEILING))
    places = _PLACES.get(unit, Decimal("0.01"))
    text = str(number.quantize(places, rounding=ROUND_HALF_UP))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if unit == "ratio":  # ratios keep two places at least, as facts.md writes them ("0.05", "1.00")
        whole, _, decimals = text.partition(".")
        text = f"{whole}.{decimals.ljust(2, '0')}"
    return text


def score_number(value: float | None) -> int | float | None:
    """Scores are JSON numbers, as in facts.md: whole points as integers, an expert mean to two places."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 2)


def _bits(mask: int | None) -> list[int]:
    if not mask:
        return []
    return [i for i in range(mask.bit_length()) if mask >> i & 1]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def criterion_result(
    plan: Plan, cp: CriterionPlan, values: Mapping[str, Any], *, path_of: Callable[[str], str]
) -> dict[str, Any]:
    c = cp.criterion
    prefix = f"{c.program}.{c.id}"
    passed = values[f"{prefix}.passed"]
    result: dict[str, Any] = {
        "id": c.id,
        "label": c.label,
        "outcome": OUTCOME_WORDS[passed],
        "value": format_number(values[f"{prefix}.value"], c.value_unit),
        "unit": c.value_unit,
        "threshold": format_number(values[f"{prefix}.threshold"], c.threshold_unit or c.value_unit),
        "comparison": c.comparison,
        "gap": format_number(values[f"{prefix}.gap"], c.gap_unit or "", gap=True),
        "gap_unit": c.gap_unit if values[f"{prefix}.gap"] is not None else None,
        "citation": c.citation,
        "missing": _unique([path_of(cp.needs[i]) for i in _bits(values[f"{prefix}.missing"])]),
    }
    if cp.direct_label is not None and values[f"{prefix}.direct"]:
        result.update(id="direct_route", label=cp.direct_label, outcome=OUTCOME_WORDS[True])
    if result["outcome"] == "fail" and result["value"] is not None and result["value"] == result["threshold"]:
        # rounding made a failing value look equal to its threshold: show the digits that decide
        result["value"] = format_number(values[f"{prefix}.value"], "precise")
    if cp.has_value_max:
        result["value_max"] = format_number(values[f"{prefix}.value_max"], c.value_unit)
    result["notes"] = [cp.notes[i] for i in _bits(values[f"{prefix}.notes"])]
    result["parameters"] = list(_cited(plan, cp.parameters))
    return result


@lru_cache(maxsize=4096)  # the same citations for every enterprise assessed under a plan: built once
def _cited(plan: Plan, parameters: tuple[tuple[str, date], ...]) -> tuple[dict[str, Any], ...]:
    cited = [_parameter(plan, key, on) for key, on in parameters]
    return tuple({(c["key"], c["since"]): c for c in cited}.values())


def _parameter(plan: Plan, key: str, on: date) -> dict[str, Any]:
    parameter = plan.parameters.source[key]
    entry = parameter.entry_at(on)
    return {
        "key": key,
        "label": parameter.label,
        "value": entry.value if entry else None,
        "unit": parameter.unit,
        "since": entry.start.isoformat() if entry else None,
        "citation": parameter.citation(on),
        "verified": parameter.verified,
    }


def program_result(
    plan: Plan, name: str, values: Mapping[str, Any], *, path_of: Callable[[str], str]
) -> dict[str, Any]:
    """One program's result: outcome, score range (if any), criteria, and what is missing to decide."""
    from gaoqi.rules.engine import PROGRAMS

    criteria = [criterion_result(plan, cp, values, path_of=path_of) for cp in plan.criteria[name]]
    result: dict[str, Any] = {
        "label": PROGRAMS[name].label,
        "outcome": OUTCOME_WORDS[values[f"{name}.outcome"]],
    }
    outputs = {o.name: o for o in plan.outputs[name]}
    if "score_min" in outputs:
        result["score"] = {
            "min": score_number(values[f"{name}.score_min"]),
            "max": score_number(values[f"{name}.score_max"]),
            "parts": {
                part[: -len("_min")]: {
                    "min": score_number(values[f"{name}.{part}"]),
                    "max": score_number(values[f"{name}.{part[: -len('_min')]}_max"]),
                }
                for part in outputs
                if part.endswith("_min") and part != "score_min"
            },
        }
    for out in outputs.values():
        if out.name.startswith("score_") or out.name.endswith(("_min", "_max")):
            continue
        result[out.name] = format_number(values[f"{name}.{out.name}"], out.unit)
    result["criteria"] = criteria
    result["missing"] = _unique([m for c in criteria for m in c["missing"]])
    return result
