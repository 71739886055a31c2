"""``assess``: the one door into the rules for one enterprise, used alike by the CLI, the API and the web pages.

A ``facts.md`` JSON document (as text, or already parsed) goes in; the ``facts.md`` results JSON comes out, with
``warnings`` when the reader ignored something. Bad input raises :class:`~gaoqi.rules.problems.InputError` naming
every field at fault by its JSON path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from gaoqi.rules.evaluate import evaluate, program_names
from gaoqi.rules.ingest import _json_error, read_document, read_json_text
from gaoqi.rules.parameters import Overrides


def assess(
    document: str | Mapping[str, Any],
    *,
    program: str | Sequence[str] = "all",
    overrides: Overrides | None = None,
) -> dict[str, Any]:
    """The results JSON of one enterprise's ``document`` against ``program`` (a name, several, or ``"all"``).

    ``document`` is JSON text (a syntax error is reported with its line and column) or the parsed object; the law
    is read as in force on the document's ``as_of``. ``overrides`` change parameters on a copy (what-if).

    >>> result = assess('{"as_of": "2025-06-30", "enterprise": {"registered_on": "2024-09-01"}}', program="hnte")
    >>> result["as_of"], result["programs"]["hnte"]["outcome"]
    ('2025-06-30', 'fail')
    >>> assess({"as_of": "2025-06-30", "years": {"2024": {"sales_revenue": -1}}})
    Traceback (most recent call last):
    ...
    gaoqi.rules.problems.InputError: years.2024.sales_revenue: 不能为负数（收到 -1）。
    """
    read = read_json_text(document) if isinstance(document, str) else read_document(document)
    results = evaluate([read.row], program=program, as_of=read.as_of, overrides=overrides)  # no frame for one row
    result = results.to_dict(0, path_of=read.path_of)
    if read.warnings:
        result["warnings"] = [str(w) for w in read.warnings]
    return result


def programs_from_text(text: str) -> tuple[str, ...]:
    """The programs named in ``text`` as a user types them (``hnte,tsme``; blank or ``all`` for every program).

    Raises :class:`ValueError` in Chinese naming any unknown program.

    >>> programs_from_text(" hnte, tsme ")
    ('hnte', 'tsme')
    >>> programs_from_text("nobel")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: 未知的评价项目：nobel；可选：hnte、tsme、...、rd_super_deduction 或 all
    """
    names = [name.strip() for name in text.split(",") if name.strip()]
    return program_names("all" if names in ([], ["all"]) else names)


def json_syntax_error(error: json.JSONDecodeError) -> str:
    """Where and what is wrong with JSON text, in Chinese, as the reader reports it.

    >>> try:
    ...     json.loads('{"as_of": }')
    ... except json.JSONDecodeError as error:
    ...     print(json_syntax_error(error))
    第 1 行第 11 列，此处应为一个值
    """
    return f"第 {error.lineno} 行第 {error.colno} 列，{_json_error(error.msg)}"
