"""Core leaves audit rows without importing audit: the recorder is registered in AuditConfig.ready."""

import pytest
from django.core.management import call_command

from lianxin.audit.models import AuditEvent
from lianxin.audit.services import audit_record
from lianxin.core import registry

pytestmark = pytest.mark.django_db


def test_the_audit_app_registers_its_recorder():
    assert audit_record in registry._audit_recorders


def test_record_audit_appends_a_row():
    registry.record_audit(action="export", username="lianxin backup", reason="backup")
    row = AuditEvent.objects.get()
    assert (row.action, row.actor_name, row.reason) == ("export", "lianxin backup", "backup")


def test_a_403_is_audited_through_the_registry(client, login, world):
    login(world.users["village_a"])
    assert client.get("/audit/").status_code == 403
    assert AuditEvent.objects.filter(action="permission_denied", actor_name="village_a").exists()


@pytest.mark.django_db(transaction=True)  # a backup refuses to run inside a transaction
def test_backup_is_audited(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    call_command("backup", output=str(tmp_path))
    assert AuditEvent.objects.filter(action="export", actor_name="lianxin backup").exists()
