from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gaoqi.codes.services import industries_import


class Command(BaseCommand):
    help = "从官方Excel表导入完整的国民经济行业分类（GB/T 4754-2017）：列为 门类、大类、中类、小类、类别名称。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Excel 文件（.xlsx）")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            count = industries_import(path=path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已导入国民经济行业分类 {count} 条。")
