from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from lianxin.core.backup import backup_create
from lianxin.core.registry import record_audit


class Command(BaseCommand):
    help = "备份数据库与附件（含行数与校验和清单）"

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"))

    def handle(self, *args, output, **options):
        path = backup_create(output_dir=Path(output))
        record_audit(
            action="export",
            username="lianxin backup",
            target_repr=path.name,
            reason="backup",
        )
        self.stdout.write(str(path))
