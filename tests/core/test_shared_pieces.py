"""core's shared pieces: the abstract models, the database helpers, QR codes, the print button,
the API guards and the per-role permission helper."""

from __future__ import annotations

import io

import pytest
import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from ninja.errors import HttpError

from lianxin.api.guards import require_perm, service_refusal_as_409
from lianxin.core import db
from lianxin.core.models import AppendOnlyModel, ImmutableRowError, TimeStampedModel
from lianxin.core.qr import qr_svg, qr_svg_response
from tests.permissions import EVERYONE, STAFF, assert_granted_exactly, granted_users


def test_timestamps_are_declared_as_the_apps_declared_them():
    created = TimeStampedModel._meta.get_field("created_at")
    updated = TimeStampedModel._meta.get_field("updated_at")
    with translation.override("zh-hans"):
        assert (str(created.verbose_name), created.auto_now_add) == ("创建时间", True)
        assert (str(updated.verbose_name), updated.auto_now) == ("更新时间", True)
    assert TimeStampedModel._meta.abstract


@pytest.mark.django_db
def test_append_only_refuses_change_and_delete_with_one_exception():
    # On a real append-only model (a test model would join the backup's model list).
    from lianxin.audit.models import AuditAction, AuditEvent
    from lianxin.audit.services import audit_record

    assert issubclass(AuditEvent, AppendOnlyModel)
    row = audit_record(action=AuditAction.EXPORT, actor=None, reason="x")
    for attempt in (row.save, row.delete, AuditEvent.objects.all().delete):
        with pytest.raises(ImmutableRowError):
            attempt()
    with pytest.raises(ImmutableRowError):
        AuditEvent.objects.filter(pk=row.pk).update(reason="y")
    # What the audit trail and the case timeline raised before: both still hold.
    assert issubclass(ImmutableRowError, PermissionError)
    assert issubclass(ImmutableRowError, TypeError)


@pytest.mark.django_db
def test_database_helpers_agree_with_the_connection():
    from django.db import connection

    assert db.is_postgres() == (connection.vendor == "postgresql")
    with db.no_parallel_workers():
        assert connection.vendor in {"sqlite", "postgresql"}
    db.analyze()
    q = db.json_list_contains_q("tags", "低保")
    lookup, value = q.children[0]
    if db.is_postgres():
        assert (lookup, value) == ("tags__contains", ["低保"])
    else:
        assert (lookup, value) == ("tags__icontains", '"\\u4f4e\\u4fdd"')


def test_qr_svg_is_what_the_three_copies_made():
    url = "https://lianxin.example/cases/intake/?u=620524000000"
    inline = segno.make(url, error="m").svg_inline(
        scale=8, dark="#000", light="#fff", omitsize=True
    )
    assert qr_svg(url, dark="#000", light="#fff", omitsize=True, svgns=False) == inline
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=6, xmldecl=False, svgns=True, nl=False)
    assert qr_svg(url, scale=6) == buf.getvalue().decode()
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=8, border=2)
    response = qr_svg_response(url)
    assert response.content == buf.getvalue()
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, no-store"


def test_print_button_partial():
    html = render_to_string(
        "partials/print_button.html", {"label": "打印海报", "style": "btn-danger"}
    )
    assert 'class="btn btn-danger lx-noprint" data-print>打印海报</button>' in html
    assert "core/print.js" in html
    assert ">打印</button>" in render_to_string("partials/print_button.html")


class _User:
    def __init__(self, perms):
        self.perms = perms

    def has_perm(self, perm, obj=None):
        return perm in self.perms


class _Request:
    def __init__(self, perms):
        self.user = _User(perms)


def test_api_guards():
    require_perm(_Request({"wishes.claim_wish"}), "wishes.claim_wish")
    with pytest.raises(PermissionDenied):
        require_perm(_Request(set()), "wishes.claim_wish")
    with pytest.raises(HttpError) as first, service_refusal_as_409():
        raise ValidationError(["甲", "乙"])
    assert (first.value.status_code, str(first.value)) == (409, "甲")
    with pytest.raises(HttpError) as joined, service_refusal_as_409(all_messages=True):
        raise ValidationError(["甲", "乙"])
    assert str(joined.value) == "甲；乙"


@pytest.mark.django_db
def test_permission_matrix_helper(world):
    assert_granted_exactly(world, "cases.submit_case", EVERYONE)
    assert_granted_exactly(world, "cases.view_case", STAFF)
    assert granted_users(world, "cases.manage_category") == {"county_admin"}
    with pytest.raises(AssertionError, match="refused but should be granted"):
        assert_granted_exactly(world, "cases.manage_category", {"county_admin", "town_a"})
    with pytest.raises(AssertionError, match="not users of the test world"):
        assert_granted_exactly(world, "cases.manage_category", {"county_admn"})
