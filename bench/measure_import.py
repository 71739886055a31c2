"""The Excel import measure of ``bench/platform_bench.py``: a 10,000-row template into the 50,000-enterprise city.

The file is what an officer uploads after a year's collection: 2,500 enterprises new to the registry, each with
three fiscal years (2,500 + 7,500 = 10,000 rows, 33 columns of figures a year). Timed as the web pages run it
(``gaoqi.imports.services``, inline, the worker thread adds nothing): the upload is received and checked into the
preview, then committed — which reads the file and checks it again inside its transaction before writing. Then the
same file once more: everything unchanged, nothing to commit. The rows are removed afterwards, so the city stays as
generated for the next run.
"""

from __future__ import annotations

import io
import time
from typing import Any

ENTERPRISES = 2_500
YEARS = (2023, 2024, 2025)
TARGET_S = 10.0
FIRST_SEQUENCE = 900_000  # credit codes far from the generated city's


def _workbook() -> tuple[bytes, list[str]]:
    import xlsxwriter

    from gaoqi.imports.columns import ENTERPRISES as ENTERPRISE_SHEET
    from gaoqi.imports.columns import YEARS as YEAR_SHEET
    from gaoqi.rules.synthetic import uscc_for

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    firms = book.add_worksheet(ENTERPRISE_SHEET.name)
    firms.write_row(
        0, 0, ("统一社会信用代码", "企业名称", "所在区县", "成立日期", "行业代码", "重点支持的高新技术领域")
    )
    years = book.add_worksheet(YEAR_SHEET.name)
    headers = [c.header for c in YEAR_SHEET.columns if c.field not in ("rd_expense", "rd_expense_domestic")]
    years.write_row(0, 0, headers)
    codes, row = [], 1
    for n in range(ENTERPRISES):
        code = uscc_for("440703", FIRST_SEQUENCE + n)
        codes.append(code)
        firms.write_row(n + 1, 0, (code, f"江门导入基准企业{n:05d}有限公司", "蓬江区", "2015-06-01", "C39", "电子信息"))
        for year in YEARS:
            base = 10_000_000 + 1_000 * n + year
            values: list[Any] = [code, year]
            for header in headers[2:]:
                if "（人）" in header:
                    values.append({"职工": 120, "科技": 25, "研发": 20}[header[:2]])
                elif "研发费用明细" in header:
                    values.append(round(base * 0.004, 2))
                elif header.startswith(("科技成果转化数", "数字化水平等级")):
                    values.append(2)
                else:
                    values.append(base)
            years.write_row(row, 0, values)
            row += 1
    book.close()
    return buffer.getvalue(), codes


def measure_import(bench: Any) -> list[Any]:
    from django.db.models import Q

    from bench.platform_bench import Row
    from gaoqi.accounts.models import User
    from gaoqi.core.models import AuditEntry
    from gaoqi.imports.models import ImportBatch
    from gaoqi.imports.services import import_batch_check, import_batch_commit, import_batch_create
    from gaoqi.registry.models import Enterprise

    content, codes = _workbook()
    officer = User.objects.get(username="bureau")

    def clean_up() -> None:
        ids = list(Enterprise.objects.filter(uscc__in=codes).values_list("pk", flat=True))
        AuditEntry.objects.filter(
            Q(enterprise_id__in=ids) | Q(action="import.commit", target_repr="bench.xlsx")
        ).delete()
        Enterprise.objects.filter(pk__in=ids).delete()
        ImportBatch.objects.filter(file_name="bench.xlsx").delete()

    clean_up()
    started = time.perf_counter()
    batch = import_batch_create(actor=officer, file_name="bench.xlsx", content=content)
    import_batch_check(batch)
    checked = time.perf_counter()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTING, mode=ImportBatch.Mode.ALL)
    batch.refresh_from_db()
    import_batch_commit(batch, actor_id=officer.pk)
    done = time.perf_counter()
    written = batch.written
    assert batch.status == ImportBatch.Status.COMMITTED, batch.message or batch.problems[:3]
    again = import_batch_create(actor=officer, file_name="bench.xlsx", content=content)
    import_batch_check(again)
    rechecked = time.perf_counter() - done
    assert again.importable_count == 0, again.summary
    clean_up()
    total = done - started
    rows = sum(s["rows"] for s in batch.summary)
    return [
        Row(
            f"import a {rows:,}-row template ({ENTERPRISES:,} new enterprises × 3 years), upload → preview → commit",
            f"{total:.2f} s (check {checked - started:.2f} s, commit with its re-check {done - checked:.2f} s; "
            f"{len(content) / 1024:.0f} KB; written {written})",
            f"< {TARGET_S:.0f} s",
            total < TARGET_S,
        ),
        Row("the same file again: preview, every row unchanged", f"{rechecked:.2f} s"),
    ]
