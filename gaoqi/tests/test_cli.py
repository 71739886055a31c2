"""The command line, as an officer uses it: worked examples in JSON and text, screening tables, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from gaoqi.cli import main
from gaoqi.rules.engine import PROGRAMS
from gaoqi.rules.report import MARK
from gaoqi.rules.tests.cases import OUTCOME_FROM_WORD, Case, load_cases, matches

EXAMPLE = Path(__file__).parents[1] / "rules" / "examples" / "enterprise.json"
DOCUMENT_CASES = [c for c in load_cases() if c.document is not None]


def _json_value(program: dict[str, Any], key: str) -> Any:
    """What the CLI's JSON says for a case's expectation key (``hnte.rd_expense_ratio.gap`` and the like)."""
    _, *rest = key.split(".")
    if rest == ["outcome"]:
        return OUTCOME_FROM_WORD[program["outcome"]]
    if len(rest) == 1:
        name = rest[0]
        if name in ("score_min", "score_max"):
            return program["score"][name[len("score_") :]]
        if name.endswith(("_min", "_max")) and name[:-4] in program.get("score", {}).get("parts", {}):
            return program["score"]["parts"][name[:-4]][name[-3:]]
        if name in program:
            unit = next(o.unit for o in PROGRAMS[key.split(".")[0]].outputs if o.name == name)
            scale = 100 if unit == "fen" else 1  # the frame holds whole fen; the JSON shows yuan
            return None if program[name] is None else float(Decimal(program[name]) * scale)
        return OUTCOME_FROM_WORD[_criterion(program, name)["outcome"]]
    criterion, field = rest
    if field == "direct":
        return _criterion(program, criterion)["id"] == "direct_route"
    value = _criterion(program, criterion)[field if field != "passed" else "outcome"]
    if field in ("notes", "missing"):
        return value
    return None if value is None else float(value) if field != "passed" else OUTCOME_FROM_WORD[value]


def _write(tmp_path: Path, case: Case) -> Path:
    path = tmp_path / "enterprise.json"
    path.write_text(json.dumps({"as_of": case.as_of.isoformat(), **(case.document or {})}, ensure_ascii=False), "utf-8")
    return path


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=[c.id for c in DOCUMENT_CASES])
def test_assess_reproduces_each_worked_example_in_json_and_text(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, case)
    programs = ",".join(sorted({key.split(".")[0] for key in case.output}))
    assert main(["assess", str(path), "--program", programs, "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    for key, expected in case.output.items():
        actual = _json_value(result["programs"][key.split(".")[0]], key)
        if key.endswith((".notes", ".missing")):
            assert all(any(part in text for text in actual) for part in expected), (key, actual)
        else:
            assert matches(actual, expected), (key, actual, expected)
    assert main(["assess", str(path), "--program", programs]) == 0
    text = capsys.readouterr().out
    for key, expected in case.output.items():
        program, *rest = key.split(".")
        ids = {c["id"] for c in result["programs"][program]["criteria"]} | {"evaluation_score"}
        if len(rest) == 1 and rest[0] in ids and (expected is None or isinstance(expected, bool)):
            criterion = _criterion(result["programs"][program], rest[0])
            assert f"{MARK[criterion['outcome']]} {criterion['label']}" in text, key
        if key.endswith(".gap") and expected is not None:
            assert "差距：" in text


def _criterion(program: dict[str, Any], criterion: str) -> dict[str, Any]:
    for c in program["criteria"]:
        if c["id"] == criterion or (c["id"] == "direct_route" and criterion in ("direct_route", "evaluation_score")):
            return dict(c)
    raise AssertionError(f"no criterion {criterion}")


def test_the_installed_command_assesses_the_bundled_example() -> None:
    gaoqi = str(Path(sys.executable).parent / "gaoqi")  # the console script pip installed
    run = subprocess.run(
        [gaoqi, "assess", str(EXAMPLE), "--format", "json"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["as_of"] == "2025-06-30" and "hnte" in result["programs"]
    hnte = result["programs"]["hnte"]
    assert hnte["score"]["min"] < hnte["score"]["max"]  # expert items not given: a range, not a guess
    text = subprocess.run([gaoqi, "assess", str(EXAMPLE)], capture_output=True, text=True, check=False).stdout
    assert "高新技术企业认定" in text and "依据：国科发火〔2016〕32号" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "JSON 格式错误：第 1 行第 2 列"),
        ('{"as_of": "2025-06-30", "years": {"2024": {"sales_revenue": -5}}}', "years.2024.sales_revenue: 不能为负数"),
        ('{"as_of": "2025-06-30", "enterprise": {"uscc": "123"}}', "enterprise.uscc"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "gaoqi.cli", "assess", str(path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 2
    assert message in run.stderr and "Traceback" not in run.stderr


def test_a_missing_file_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", "/nonexistent/enterprise.json"]) == 2
    assert "文件不存在" in capsys.readouterr().err


def _table() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "uscc": ["9144070300004PNT97", None, None],
            "registered_on": ["2015-01-01", "2024-12-01", ""],
            "sales_revenue_y1": ["30000000", "", "1"],
            "sales_revenue_y2": ["42000000", "", "1"],
            "sales_revenue_y3": ["50000000", "1000", "1"],
            "rd_expense_y1": ["1500000", "", "0"],
            "rd_expense_y2": ["2000000", "", "0"],
            "rd_expense_y3": ["2600000", "0", "0"],
        }
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_screen_reads_and_writes_every_table_format(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / f"in{suffix}"
    table = _table()
    writers: dict[str, Callable[[Path], object]] = {
        ".csv": table.write_csv,
        ".xlsx": table.write_excel,
        ".parquet": table.write_parquet,
    }
    writers[suffix](source)
    out = tmp_path / f"out{suffix}"
    assert (
        main(["screen", str(source), "--out", str(out), "--program", "hnte", "--as-of", "2025-06-30", "--quiet"]) == 0
    )
    readers: dict[str, Callable[[Path], pl.DataFrame]] = {
        ".csv": pl.read_csv,
        ".xlsx": pl.read_excel,
        ".parquet": pl.read_parquet,
    }
    result = readers[suffix](out)
    assert result.height == 3
    column = {".xlsx": "高新技术企业认定｜近三个会计年度研究开发费用总额占同期销售收入总额的比例｜结果"}.get(
        suffix, "hnte.rd_expense_ratio.passed"
    )
    words = {".csv": ["pass", "fail", "fail"], ".xlsx": ["符合", "不符合", "不符合"], ".parquet": [True, False, False]}
    assert result[column].to_list() == words[suffix]


def test_screen_accepts_chinese_headers(tmp_path: Path) -> None:
    from gaoqi.rules.facts import FACTS

    source = tmp_path / "in.xlsx"
    _table().rename({name: FACTS[name].label for name in _table().columns}).write_excel(source)
    out = tmp_path / "out.csv"
    assert (
        main(["screen", str(source), "--out", str(out), "--program", "hnte", "--as-of", "2025-06-30", "--quiet"]) == 0
    )
    assert pl.read_csv(out).height == 3


def test_screen_names_bad_cells_by_row_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.csv"
    _table().with_columns(
        pl.Series("sales_revenue_y3", ["5", "lots", "-3"]), pl.Series("colour", ["a", "b", "c"])
    ).write_csv(source)
    assert main(["screen", str(source), "--out", str(tmp_path / "out.csv"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "第 3 行，列 sales_revenue_y3（销售收入（第3年））: 应为整数" in err
    assert "第 4 行，列 sales_revenue_y3" in err and "负数" in err
    assert "列 colour: 未知列名" in err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("in.txt", b"x", "不支持的文件类型"),
        ("in.xlsx", b"not a zip", "无法读取文件"),
        ("in.csv", b"uscc\n", "没有数据行"),
    ],
)
def test_screen_rejects_unreadable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    assert main(["screen", str(source), "--out", str(tmp_path / "out.csv"), "--quiet"]) == 2
    assert message in capsys.readouterr().err
