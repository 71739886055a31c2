"""``gaoqi`` — the command line: assess one enterprise, screen a table, show the demo.

    gaoqi assess FILE.json [--program NAME|all] [--format text|json]
    gaoqi screen INPUT.(csv|xlsx|parquet) --out OUTPUT [--program …] [--as-of DATE]
    gaoqi example              # print the bundled example enterprise (JSON)
    gaoqi criteria             # the criteria index: article, code and parameter files of every criterion
    gaoqi demo                 # self-assessment of the example, then a screening of a generated city

Bad input ends with a message naming the field (or row and column) and exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import polars as pl

if TYPE_CHECKING:
    from gaoqi.rules import Results

EXIT_BAD_INPUT = 2
CHUNK = 100_000


def _example_text() -> str:
    return resources.files("gaoqi.rules.examples").joinpath("enterprise.json").read_text(encoding="utf-8")


def _programs(value: str) -> tuple[str, ...]:
    from gaoqi.rules import programs_from_text

    try:
        return programs_from_text(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _as_of(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD，收到 {value!r}") from None


def _report(text: str, result: dict[str, Any]) -> str:
    """The Chinese text report of ``result``, headed by the enterprise's name and credit code from ``text``."""
    from gaoqi.rules import render

    enterprise = json.loads(text).get("enterprise", {})  # already read without fault by assess
    return render(result, name=enterprise.get("name"), uscc=enterprise.get("uscc"))


def cmd_assess(args: argparse.Namespace) -> int:
    from gaoqi.rules import assess

    text = sys.stdin.read() if args.file == "-" else _read_text(Path(args.file))
    result = assess(text, program=args.program)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(_report(text, result))
        for warning in result.get("warnings", []):
            print(f"提示：{warning}", file=sys.stderr)
    return 0


def _read_text(path: Path) -> str:
    from gaoqi.rules import InputError, Problem

    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Problem(str(path), "文件不存在。")]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(str(path), "文件不是 UTF-8 编码的文本（JSON）。")]) from None
    except OSError as exc:
        raise InputError([Problem(str(path), f"无法读取文件：{exc.strerror}。")]) from None


def screen(frame: pl.DataFrame, *, program: str | Sequence[str], as_of: date, progress: bool) -> Results:
    """Evaluate a large frame in chunks, with a progress bar on stderr; returns one :class:`Results`."""
    from tqdm import tqdm

    from gaoqi.rules import Results, evaluate

    if frame.height <= CHUNK:
        return evaluate(frame, program=program, as_of=as_of)
    parts = []
    plan = None
    with tqdm(total=frame.height, unit="家", desc="筛查", disable=not progress, file=sys.stderr) as bar:
        for offset in range(0, frame.height, CHUNK):
            chunk = evaluate(frame.slice(offset, CHUNK), program=program, as_of=as_of, backend="polars")
            parts.append(chunk.frame)
            plan = chunk.plan
            bar.update(chunk.frame.height)
    assert plan is not None
    return Results(plan, polars_frame=pl.concat(parts))


def cmd_screen(args: argparse.Namespace) -> int:
    from gaoqi.rules import read_table, write_table

    started = time.perf_counter()
    frame = read_table(args.input)
    results = screen(frame, program=args.program, as_of=args.as_of, progress=not args.quiet)
    write_table(results, args.out)
    if not args.quiet:
        _print_summary(results, time.perf_counter() - started, args.out)
    return 0


def _print_summary(results: Results, seconds: float, out: str) -> None:
    from gaoqi.rules import OUTCOME_TEXT, PROGRAMS

    frame = results.frame
    print(
        f"已筛查 {frame.height:,} 家企业（评价日期 {results.as_of.isoformat()}，用时 {seconds:.1f} 秒），结果写入 {out}"
    )
    for name in results.programs:
        counts = frame[f"{name}.outcome"].value_counts()
        by = {row[0]: row[1] for row in counts.iter_rows()}
        parts = "，".join(
            f"{OUTCOME_TEXT[w]} {by.get(v, 0):,}" for v, w in ((True, "pass"), (False, "fail"), (None, "undetermined"))
        )
        print(f"  {PROGRAMS[name].label}：{parts}")


def cmd_example(args: argparse.Namespace) -> int:
    print(_example_text(), end="")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from gaoqi.rules import assess, population, write_table

    text = _example_text()
    result = assess(text)
    print(_report(text, result))
    print("\n" + "=" * 72 + "\n")
    as_of = date.fromisoformat(result["as_of"])
    frame = population(args.size, seed=args.seed, as_of=as_of)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(out.with_name("population.csv"))
    started = time.perf_counter()
    results = screen(frame, program="all", as_of=as_of, progress=True)
    write_table(results, out)
    _print_summary(results, time.perf_counter() - started, str(out))
    print(f"生成的企业数据：{out.with_name('population.csv')}（可用 gaoqi screen 重新筛查）")
    return 0


def cmd_criteria(args: argparse.Namespace) -> int:
    from gaoqi.rules import criteria_index

    print(criteria_index(), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gaoqi", description="高企 — 科技企业资质条件评价（规则即代码）")
    sub = parser.add_subparsers(dest="command", required=True)
    assess = sub.add_parser("assess", help="评价一家企业（JSON 文件，- 表示标准输入）")
    assess.add_argument("file")
    assess.add_argument("--program", type=_programs, default="all", help="hnte、tsme…，逗号分隔，或 all")
    assess.add_argument("--format", choices=("text", "json"), default="text")
    assess.set_defaults(run=cmd_assess)
    scr = sub.add_parser("screen", help="批量筛查企业表格（CSV、Excel、Parquet）")
    scr.add_argument("input")
    scr.add_argument("--out", required=True)
    scr.add_argument("--program", type=_programs, default="all")
    scr.add_argument("--as-of", type=_as_of, default=None, help="评价日期 YYYY-MM-DD（默认今天）")
    scr.add_argument("--quiet", action="store_true")
    scr.set_defaults(run=cmd_screen)
    example = sub.add_parser("example", help="打印内置的示例企业 JSON")
    example.set_defaults(run=cmd_example)
    criteria = sub.add_parser("criteria", help="打印条件索引：每项条件的依据条文、代码位置和参数文件")
    criteria.set_defaults(run=cmd_criteria)
    demo = sub.add_parser("demo", help="演示：示例企业自评 + 生成城市的批量筛查")
    demo.add_argument("--size", type=int, default=3000)
    demo.add_argument("--seed", type=int, default=20251121)
    demo.add_argument("--out", default="out/screening.xlsx")
    demo.set_defaults(run=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from gaoqi.rules import InputError

    args = build_parser().parse_args(argv)
    if getattr(args, "as_of", "unset") is None:
        args.as_of = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # read the clock late, in Beijing time
    try:
        return int(args.run(args))
    except InputError as exc:
        print("输入有误：", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
