"""The one aggregation of item lists: the Polars fold (a city) and the Python fold (one document) agree."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest

from gaoqi.rules.aggregate import (
    CERTIFICATE_PROGRAMS,
    CLASS_1,
    CLASS_2,
    GROUPS,
    INSTITUTION_LEVELS,
    aggregate,
    aggregate_items,
)

AS_OF = date(2024, 2, 29)  # a leap day: "a year before" must fall on 28 February in both folds


def _maybe(rng: random.Random, value: Any) -> Any:
    return None if rng.random() < 0.2 else value


def _day(rng: random.Random) -> date:
    return AS_OF - timedelta(days=rng.randint(-60, 4 * 365))


def _item(rng: random.Random, group: str) -> dict[str, Any]:
    year = rng.randint(AS_OF.year - 6, AS_OF.year + 1)
    rank = rng.randint(1, 600)
    makers: dict[str, Callable[[], dict[str, Any]]] = {
        "ip": lambda: {
            "kind": rng.choice(CLASS_1 + CLASS_2), "count": rng.randint(1, 3), "granted_on": _maybe(rng, _day(rng)),
            "acquired": _maybe(rng, rng.choice(("self", "transfer", "gift"))), "acquired_on": _maybe(rng, _day(rng)),
            **{f: _maybe(rng, rng.random() < 0.5) for f in ("is_core_to_main_product", "is_high_value",
                                                              "is_used_in_hnte", "has_economic_benefit")},
        },
        "certificates": lambda: {"program": rng.choice(CERTIFICATE_PROGRAMS), "issued_on": _day(rng)},
        "incidents": lambda: {"date": _day(rng)},
        "awards": lambda: {"level": _maybe(rng, rng.choice(("national", "provincial"))),
                           "rank": _maybe(rng, rank % 7 + 1), "year": _maybe(rng, year)},
        "rd_institutions": lambda: {"level": _maybe(rng, rng.choice(tuple(INSTITUTION_LEVELS)))},
        "standards": lambda: {"level": _maybe(rng, rng.choice(("international", "national", "industry"))),
                              "rank": _maybe(rng, rank % 8 + 1), "year": _maybe(rng, year)},
        "equity_financing": lambda: {"date": _maybe(rng, _day(rng)), "amount": _maybe(rng, rng.randint(0, 10**8))},
        "competitions": lambda: {"name": _maybe(rng, rng.choice(("“创客中国”中小企业创新创业大赛", "其他大赛"))),
                                 "group": _maybe(rng, rng.choice(("enterprise", "maker"))),
                                 "level": _maybe(rng, rng.choice(("national", "provincial"))),
                                 "rank": _maybe(rng, rank), "year": _maybe(rng, year)},
    }  # fmt: skip
    return makers[group]()


@pytest.mark.parametrize("seed", range(40))
def test_one_document_is_folded_as_a_city_would_fold_it(seed: int) -> None:
    # given: some lists given, with random items (possibly none, possibly with unknown details)
    rng = random.Random(seed)
    items = {g: [_item(rng, g) for _ in range(rng.randint(0, 4))] for g in GROUPS if rng.random() < 0.7}
    # when
    one = aggregate_items(items, as_of=AS_OF)
    frames = {g: pl.DataFrame([{"enterprise_id": 1, **i} for i in rows]) for g, rows in items.items() if rows}
    declared = pl.DataFrame({"enterprise_id": [1], **{g: [True] for g in items}})
    city = aggregate(frames, declared, as_of=AS_OF).row(0, named=True)
    # then
    assert one == {k: v for k, v in city.items() if k != "enterprise_id" and v is not None}


def test_a_list_neither_given_nor_declared_is_unknown_and_a_declared_empty_list_counts_zero() -> None:
    declared = pl.DataFrame({"enterprise_id": [1, 2], "awards": [True, False]})
    facts = aggregate({}, declared, as_of=AS_OF)
    assert facts["num_awards_3y"].to_list() == [0, None]
    assert "ip_class_1" not in facts.columns
