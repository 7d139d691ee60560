from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.backup import backup_create


class Command(BaseCommand):
    help = "备份数据库与附件（含行数与校验和清单）"

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"))

    def handle(self, *args, output, **options):
        path = backup_create(output_dir=Path(output))
        audit_record(
            action=AuditAction.EXPORT,
            username="lianxin backup",
            target_repr=path.name,
            reason="backup",
        )
        self.stdout.write(str(path))
