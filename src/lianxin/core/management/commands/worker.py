import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone

from lianxin.core.registry import periodic_jobs

logger = logging.getLogger("lianxin.worker")


class Command(BaseCommand):
    help = "后台任务进程：每分钟运行各模块的周期任务（诉求时限巡检、功能室未到场标记等）"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true", help="只运行一次后退出")
        parser.add_argument(
            "--max-runs", type=int, default=0, help="运行若干次后退出（0 表示一直运行）"
        )

    def handle(self, *args, interval, once, max_runs, **options):
        jobs = periodic_jobs()
        runs = 0
        self.stdout.write(
            f"worker started: {len(jobs)} jobs every {interval:.0f}s: "
            + ", ".join(n for n, _ in jobs)
        )
        while True:
            started = time.monotonic()
            if not connection.in_atomic_block:  # drop a stale connection between runs
                close_old_connections()
            now = timezone.now()
            for name, job in jobs:
                try:
                    result = job(now)
                    self.stdout.write(f"{timezone.localtime(now):%H:%M:%S} {name} {result}")
                except Exception:  # keep the loop alive; the next run catches up (idempotent)
                    logger.exception("periodic job %s failed", name)
            runs += 1
            if once or (max_runs and runs >= max_runs):
                return
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
