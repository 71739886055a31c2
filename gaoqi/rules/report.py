"""A results document as a Chinese text report an officer can hand to an enterprise."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

OUTCOME_TEXT = {"pass": "符合", "fail": "不符合", "undetermined": "暂无法判定"}
MARK = {"pass": "✔", "fail": "✘", "undetermined": "？"}
GAP_TEXT = {
    "yuan": "还需增加 {} 元",
    "persons": "还需增加 {} 名",
    "points": "还需提高 {} 分",
    "days": "还需 {} 天",
    "items": "还需 {} 件",
    "count": "超出 {}",
}
EXCESS_TEXT = {"yuan": "超出 {} 元", "persons": "超出 {} 人", "points": "超出 {} 分", "days": "超出 {} 天"}
"""The gap of a cap (不超过, 低于): how far the value is over it, not what to add."""
PART_LABELS = {
    "ip": "知识产权",
    "conversion": "科技成果转化能力",
    "rd_management": "研究开发组织管理水平",
    "growth": "成长性",
    "st_staff": "科技人员",
    "rd": "研发投入",
    "innovation": "创新能力",
    "specialisation": "专业化",
    "refinement": "精细化",
    "distinctiveness": "特色化",
}


def _grouped(text: str) -> str:
    """1234567.5 → 1,234,567.5 (digits grouped as officials read money)."""
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}"
    return f"{sign}{grouped}{'.' + fraction if fraction else ''}"


def show(value: str | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ratio":
        return f"{(Decimal(value) * 100).normalize():f}%"
    if unit in ("yuan", "fen"):
        return f"{_grouped(value)} 元"
    suffix = {"days": " 天", "persons": " 人", "points": " 分", "items": " 件", "count": " 次", "years": " 年"}.get(
        unit, ""
    )
    return f"{value}{suffix}"


def _score_text(score: dict[str, Any]) -> str:
    def span(r: dict[str, Any]) -> str:
        return f"{r['min']}" if r["min"] == r["max"] else f"{r['min']}–{r['max']}"

    parts = "，".join(f"{PART_LABELS.get(name, name)} {span(r)}" for name, r in score.get("parts", {}).items())
    return f"综合得分 {span(score)} 分" + (f"（{parts}）" if parts else "")


def gap_text(c: dict[str, Any]) -> str:
    """A failing criterion's gap in words: what to add for a minimum, how far over for a cap; "" without a gap."""
    if c["outcome"] != "fail" or c.get("gap") is None or not c.get("gap_unit"):
        return ""
    gap = c["gap"] if c["gap_unit"] != "yuan" else _grouped(c["gap"])
    texts = EXCESS_TEXT if c.get("comparison") in ("<=", "<") else GAP_TEXT
    return texts.get(c["gap_unit"], "差 {}").format(gap)


def deciding_part(c: dict[str, Any]) -> str | None:
    """The part a row's value and requirement belong to, when the criterion has several and it is not the label."""
    part = c.get("part")
    return part if part and part != c["label"] else None


def _criterion_line(c: dict[str, Any]) -> list[str]:
    unit = c.get("unit", "")
    value = show(c["value"], unit)
    if c.get("value_max") is not None and c["value_max"] != c["value"]:
        value = f"{c['value']}–{show(c['value_max'], unit)}"
    head = f"  {MARK[c['outcome']]} {c['label']}"
    if c["id"] != "direct_route" and (c["value"] is not None or c["threshold"] is not None):
        head += f"：{value}"
        if c["threshold"] is not None:
            sign = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}.get(c.get("comparison", ">="), "")
            head += f"（要求 {sign} {show(c['threshold'], unit)}）"
    lines = [head]
    if deciding_part(c):
        lines.append(f"      决定结果的一项：{deciding_part(c)}")
    if gap_text(c):
        lines.append(f"      差距：{gap_text(c)}")
    if c["missing"]:
        lines.append(f"      缺少数据：{'、'.join(c['missing'])}")
    lines.extend(f"      说明：{note}" for note in c.get("notes", []))
    lines.append(f"      依据：{c['citation']}")
    return lines


def render(result: dict[str, Any], *, name: str | None = None, uscc: str | None = None) -> str:
    """The text report of one enterprise's results document."""
    title = name or "（未填写企业名称）"
    lines = [f"{title}{f'（{uscc}）' if uscc else ''} 资质条件自评报告"]
    lines.append(
        f"评价日期：{result['as_of']}　规则版本：{result['rules_version']}　参数摘要：{result['parameters_digest']}"
    )
    for r in result["programs"].values():
        lines.append("")
        lines.append(f"■ {r['label']}：{OUTCOME_TEXT[r['outcome']]}")
        if "score" in r:
            lines.append(f"  {_score_text(r['score'])}")
        for key in ("base", "rate", "extra_deduction", "tax_effect"):
            if key in r and r[key] is not None:
                label = {"base": "可加计扣除的研发费用", "rate": "加计扣除比例", "extra_deduction": "加计扣除额",
                         "tax_effect": "减少企业所得税"}[key]  # fmt: skip
                lines.append(f"  {label}：{show(r[key], 'ratio' if key == 'rate' else 'yuan')}")
        for c in r["criteria"]:
            lines.extend(_criterion_line(c))
        if r["missing"]:
            lines.append(f"  需补充的数据：{'、'.join(r['missing'])}")
    lines.append("")
    lines.append("本报告由规则自动计算，仅供自评参考；专家评分项以评审结果为准。")
    return "\n".join(lines)
