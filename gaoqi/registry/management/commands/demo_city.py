"""``manage.py demo_city``: the generated city of the demo, and one user per role; prints the logins."""

from __future__ import annotations

import time
import unicodedata
from datetime import date
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gaoqi.registry.demo import PASSWORD, demo_city_build


def _pad(text: str, width: int) -> str:
    """Pad to a width in terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 1)


class Command(BaseCommand):
    help = "生成演示城市：江门市七个县级行政区的企业（三年数据、知识产权、资质证书），并为每个角色创建一个演示用户。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=3000, help="企业数量（默认 3000）")
        parser.add_argument("--seed", type=int, default=20251121, help="随机种子（相同种子生成相同数据）")
        parser.add_argument("--reset", action="store_true", help="删除已有演示数据后重新生成")
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="数据基准日（默认今天）")
        parser.add_argument("--address", default="127.0.0.1:8000", help="服务地址（打印登录地址用）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["size"] < 1:
            raise CommandError("--size 应为正整数。")
        if apps.is_installed("gaoqi.codes"):  # the code tables, when that app is installed
            call_command("load_codes", verbosity=0)
        started = time.perf_counter()
        city = demo_city_build(
            size=options["size"],
            seed=options["seed"],
            as_of=options["as_of"] or timezone.localdate(),
            reset=options["reset"],
        )
        seconds = time.perf_counter() - started
        if city.created:
            self.stdout.write(f"已生成演示城市：{city.enterprises:,} 家企业（用时 {seconds:.1f} 秒）。")
        else:
            self.stdout.write(f"演示城市已存在：{city.enterprises:,} 家企业（未重复生成；--reset 可重建）。")
        self.stdout.write("\n演示账号（密码均为 " + PASSWORD + "）：")
        self.stdout.write(f"  {_pad('角色', 20)}{_pad('用户名', 12)}可见范围")
        for user in city.users:
            self.stdout.write(f"  {_pad(str(user.role.label), 20)}{_pad(user.username, 12)}{user.scope}")
        self.stdout.write(f"\n登录地址：http://{options['address']}/accounts/login/")
