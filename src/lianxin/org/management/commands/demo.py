import random
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from lianxin.core.demo import DemoContext, demo_steps
from lianxin.org.models import Unit


class Command(BaseCommand):
    help = "生成演示县（武山县）：真实区划、网格、干部、住户及各模块演示数据"

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=570)
        parser.add_argument("--county", default="620524")
        parser.add_argument("--cases", type=int, default=None, help="诉求数量（默认约 27000）")
        parser.add_argument(
            "--only", default="", help="只运行这些模块的演示步骤，逗号分隔，如 org,people"
        )

    def handle(self, *args, households, seed, county, only, cases, **options):
        # Idempotent: a county that already has grids was built before (make run relies on it).
        if Unit.objects.filter(kind="grid", code__startswith=county).exists():
            self.stdout.write("演示数据已存在，跳过。")
            self.print_logins(county)
            return
        start = time.perf_counter()
        ctx = DemoContext(
            rng=random.Random(seed),
            county_code=county,
            households=households,
            now=timezone.now(),
            password_hash=make_password(settings.LIANXIN_DEMO_PASSWORD),
            log=lambda msg: self.stdout.write(f"  [{time.perf_counter() - start:5.1f}s] {msg}"),
            options={"cases": cases} if cases is not None else {},
        )
        wanted = {name.strip() for name in only.split(",") if name.strip()}
        for step in demo_steps():
            if wanted and step.__name__.split(".")[-2] not in wanted:
                continue
            with transaction.atomic():
                step.demo_build(ctx)
        self.stdout.write(f"演示县生成完毕，用时 {time.perf_counter() - start:.1f} 秒。")
        self.print_logins(county, extra=ctx.logins)

    def print_logins(self, county: str, extra=()) -> None:
        from lianxin.org.demo import demo_logins

        unit = Unit.objects.filter(code=county.ljust(12, "0")).first()
        if unit is None:
            return
        self.stdout.write(f"演示账号（密码均为 {settings.LIANXIN_DEMO_PASSWORD}）：")
        for label, username in [*demo_logins(unit), *extra]:
            self.stdout.write(f"  {username:<16} {label}")
