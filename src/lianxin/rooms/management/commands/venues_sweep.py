"""Periodic and idempotent: bookings that ended without a check-in become 未到场 (no-show)."""

from django.core.management.base import BaseCommand

from lianxin.rooms.services import bookings_sweep_no_shows


class Command(BaseCommand):
    help = "把已结束且未签到的功能室预约标记为“未到场”（可重复运行）"

    def handle(self, *args, **options):
        n = bookings_sweep_no_shows()
        self.stdout.write(f"未到场：{n}")
