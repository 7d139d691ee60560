"""Log-ins, failures and lock-outs go to the audit trail."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from lianxin.accounts import throttle
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        import time

        from lianxin.accounts.middleware import LOGIN_AT_KEY

        request.session[LOGIN_AT_KEY] = int(time.time())
    audit_record(action=AuditAction.LOGIN, actor=user, target=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        throttle.login_failure_count(request)  # the address-wide spraying limit
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        username=str(credentials.get("username", ""))[:150],
        outcome="failed",
        request=request,
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        action=AuditAction.LOCKED_OUT,
        username=str(username or "")[:150],
        outcome="locked",
        request=request,
    )
