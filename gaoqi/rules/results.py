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
    from gaoqi.rules.engine import CriterionPlan, Part, Plan

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
    text = format(number.quantize(places, rounding=ROUND_HALF_UP), "f")  # never exponent notation ("0E-8")
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
    plan: Plan, cn: CriterionPlan, values: Mapping[str, Any], *, path_of: Callable[[str], str]
) -> dict[str, Any]:
    c = cn.criterion
    prefix = f"{c.program}.{c.id}"
    passed = values[f"{prefix}.passed"]
    deciding = cn.parts[values[f"{prefix}.part"]] if cn.parts and values[f"{prefix}.part"] is not None else None
    unit = deciding.unit if deciding else c.value_unit
    threshold_unit = deciding.unit if deciding else c.threshold_unit or c.value_unit
    gap_unit = deciding.gap_unit if deciding else c.gap_unit
    result: dict[str, Any] = {
        "id": c.id,
        "label": c.label,
        "outcome": OUTCOME_WORDS[passed],
        "value": _shown_value(values, prefix, unit, passed),
        "unit": unit,
        "threshold": format_number(values[f"{prefix}.threshold"], threshold_unit),
        "comparison": deciding.comparison if deciding else c.comparison,
        "gap": format_number(values[f"{prefix}.gap"], gap_unit or "", gap=True),
        "gap_unit": gap_unit if values[f"{prefix}.gap"] is not None else None,
        "citation": c.citation,
        "missing": _unique([path_of(cn.needs[i]) for i in _bits(values[f"{prefix}.missing"])]),
    }
    if cn.direct_id is not None and values[f"{prefix}.direct"]:
        result.update(id=cn.direct_id, label=cn.direct_label, outcome=OUTCOME_WORDS[True])
    if cn.has_value_max:
        result["value_max"] = format_number(values[f"{prefix}.value_max"], unit)
    if cn.parts:
        result["part"] = deciding.label if deciding else None
        result["parts"] = [
            _part_result(f"{prefix}.parts.{i}", part, values)
            for i, part in enumerate(cn.parts)
            if part.applies is None or values[f"{prefix}.parts.{i}.applies"]
        ]
    result["notes"] = [cn.notes[i] for i in _bits(values[f"{prefix}.notes"])]
    result["parameters"] = list(_cited(plan, cn.parameters))
    return result


@lru_cache(maxsize=4096)  # the same citations for every enterprise assessed under a plan: built once
def _cited(plan: Plan, parameters: tuple[tuple[str, date], ...]) -> tuple[dict[str, Any], ...]:
    cited = [_parameter(plan, key, on) for key, on in parameters]
    return tuple({(c["key"], c["since"]): c for c in cited}.values())


def _shown_value(values: Mapping[str, Any], prefix: str, unit: str, passed: bool | None) -> str | None:
    value = format_number(values[f"{prefix}.value"], unit)
    if passed is False and value is not None and value == format_number(values[f"{prefix}.threshold"], unit):
        # rounding made a failing value look equal to its threshold: show the digits that decide
        return format_number(values[f"{prefix}.value"], "precise")
    return value


def _part_result(prefix: str, part: Part, values: Mapping[str, Any]) -> dict[str, Any]:
    passed = values[f"{prefix}.passed"]
    gap = values[f"{prefix}.gap"]
    result = {
        "label": part.label,
        "outcome": OUTCOME_WORDS[passed],
        "value": _shown_value(values, prefix, part.unit, passed),
        "unit": part.unit,
        "threshold": format_number(values[f"{prefix}.threshold"], part.unit),
        "comparison": part.comparison,
        "gap": format_number(gap, part.gap_unit or "", gap=True),
        "gap_unit": part.gap_unit if gap is not None else None,
    }
    if part.value_max is not None:
        result["value_max"] = format_number(values[f"{prefix}.value_max"], part.unit)
    return result


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
    deciding = [c for c, cn in zip(criteria, plan.criteria[name], strict=True) if cn.criterion.decides]
    result["missing"] = _unique([m for c in deciding for m in c["missing"]])
    return result
