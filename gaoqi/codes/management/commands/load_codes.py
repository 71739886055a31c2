from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gaoqi.codes.services import codes_load


class Command(BaseCommand):
    help = "载入内置代码表：行政区划（GB/T 2260，广东省及江门市）和国民经济行业分类门类、大类（GB/T 4754-2017）。"

    def handle(self, *args: Any, **options: Any) -> None:
        counts = codes_load()
        self.stdout.write(f"已载入行政区划 {counts['regions']} 条，国民经济行业分类 {counts['industries']} 条。")
