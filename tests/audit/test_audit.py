import pytest
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_changed_or_deleted(world):
    event = audit_record(action=AuditAction.EXPORT, actor=world.users["county_admin"], reason="x")
    event.reason = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(reason="y")
    assert AuditEvent.objects.get(pk=event.pk).reason == "x"


def test_permission_denial_is_audited(world, client, login):
    login(world.users["resident_a"])
    response = client.get(reverse("people:person_list"))
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert event.actor == world.users["resident_a"]
    assert event.path == reverse("people:person_list")


def test_audit_page_for_county_admin_only(world, client, login):
    audit_record(action=AuditAction.EXPORT, actor=world.users["village_a"], reason="导出台账")
    login(world.users["village_a"])
    assert client.get(reverse("audit:audit_list")).status_code == 403
    login(world.users["county_admin"])
    response = client.get(reverse("audit:audit_list"))
    assert response.status_code == 200
    assert "导出台账" in response.content.decode()


def test_audit_list_hides_actors_outside_the_subtree(world, client, login):
    from lianxin.org.models import Role
    from lianxin.org.services import membership_grant

    # A county admin of town B's subtree only (say, a town-level admin) does not see town A's actors.
    membership_grant(user=world.users["town_b"], unit=world.town_b, role=Role.COUNTY_ADMIN)
    audit_record(action=AuditAction.EXPORT, actor=world.users["village_a"], reason="甲村导出")
    audit_record(action=AuditAction.EXPORT, actor=world.users["village_b"], reason="乙村导出")
    login(world.users["town_b"])
    body = client.get(reverse("audit:audit_list")).content.decode()
    assert "乙村导出" in body
    assert "甲村导出" not in body
