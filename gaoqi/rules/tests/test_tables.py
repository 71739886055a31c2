"""A table of enterprises refuses a part above its whole, as the JSON reader does, naming row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from gaoqi.rules import InputError, read_table


@pytest.mark.parametrize(
    ("overseas", "refused"),
    [("500000", False), ("499999", True), ("", True)],
    ids=["equal to the overseas item", "one yuan above it", "overseas item not given"],
)
def test_rd_entrusted_to_overseas_individuals_may_not_exceed_the_overseas_item(
    overseas: str, refused: bool, tmp_path: Path
) -> None:
    path = tmp_path / "enterprises.csv"
    path.write_text(
        f"rd_personnel_y3,rd_entrusted_overseas_y3,rd_entrusted_overseas_individuals_y3\n900000,{overseas},500000\n",
        encoding="utf-8",
    )
    if not refused:
        assert read_table(path)["rd_entrusted_overseas_individuals_y3"].to_list() == [500_000]
        return
    with pytest.raises(InputError) as info:
        read_table(path)
    assert [p.message for p in info.value.problems] == [
        f"委托境外个人研发费用不能超过委托境外研发费用（500000 > {overseas or 0}）。"
    ]
    assert "第 2 行，列 rd_entrusted_overseas_individuals_y3" in info.value.problems[0].path
