"""Audit rows name the real client behind the configured proxies, not nginx's address."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.audit.services import audit_record

pytestmark = pytest.mark.django_db


def _request(peer: str, forwarded: str):
    return RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)


@override_settings(LIANXIN_TRUSTED_PROXIES=["127.0.0.1"])
def test_audit_records_the_client_behind_a_trusted_proxy():
    audit_record(action=AuditAction.PERMISSION_DENIED, request=_request("127.0.0.1", "203.0.113.7"))
    assert AuditEvent.objects.latest("id").ip_address == "203.0.113.7"


@override_settings(LIANXIN_TRUSTED_PROXIES=[])
def test_audit_ignores_a_forwarded_header_from_an_untrusted_peer():
    audit_record(
        action=AuditAction.PERMISSION_DENIED, request=_request("198.51.100.9", "203.0.113.7")
    )
    assert AuditEvent.objects.latest("id").ip_address == "198.51.100.9"
