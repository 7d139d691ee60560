import time

from django.core.management.base import BaseCommand, CommandError

from lianxin.org.services import divisions_import


class Command(BaseCommand):
    help = "导入甘肃省统计用区划代码（可指定县区，重复导入不变）"

    def add_arguments(self, parser):
        parser.add_argument("--county", help="只导入一个县区，例如 620524（武山县）")

    def handle(self, *args, county=None, **options):
        start = time.perf_counter()
        try:
            result = divisions_import(county=county)
        except (LookupError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"created {result['created']}, updated {result['updated']}, "
            f"units {result['total']} in {time.perf_counter() - start:.1f}s"
        )
