from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lianxin.cases.sweep import deadline_sweep


class Command(BaseCommand):
    help = "诉求时限巡检：临期预警、超时标记、超时督办、7 日未评价自动关闭（可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--now", default="", help="ISO 时间（测试或补跑用），默认当前时间")

    def handle(self, *args, now="", **options):
        moment = timezone.now()
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"--now 不是有效的 ISO 时间：{now}") from exc
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        result = deadline_sweep(now=moment)
        self.stdout.write(
            f"sweep {timezone.localtime(moment):%Y-%m-%d %H:%M}: 预警 warned={result.warned} 超时 overdue={result.overdue} "
            f"督办 supervised={result.supervised} 未评价关闭 closed_unrated={result.closed_unrated}"
        )
