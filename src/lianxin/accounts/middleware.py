"""Session policy (等保): staff 30 minutes idle and 12 hours absolute; forced password change."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.org.scoping import user_scope

LOGIN_AT_KEY = "lianxin_login_at"
SEEN_AT_KEY = "lianxin_seen_at"
# The idle expiry slides forward at most this often: renewing it on every request rewrote the
# session row on every page and every map pan (one UPDATE per request); the idle limit is then
# kept to within a minute.
RENEW_SECONDS = 60


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            staff = user_scope(user).is_staff or user.is_staff
            login_at = request.session.get(LOGIN_AT_KEY)
            if login_at is None:
                request.session[LOGIN_AT_KEY] = int(time.time())
            elif staff and time.time() - login_at > settings.LIANXIN_STAFF_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("登录已超过 12 小时，请重新登录。"))
                return redirect(settings.LOGIN_URL)
            idle = (
                settings.LIANXIN_STAFF_IDLE_SECONDS
                if staff
                else settings.LIANXIN_RESIDENT_IDLE_SECONDS
            )
            now = int(time.time())
            seen_at = request.session.get(SEEN_AT_KEY)
            if (
                seen_at is None
                or now - seen_at >= RENEW_SECONDS
                or request.session.get("_session_expiry") != idle
            ):
                request.session[SEEN_AT_KEY] = now
                request.session.set_expiry(idle)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Send a user whose password must change (first log-in, expired) to the change form."""

    EXEMPT_PREFIXES = ("/static/", "/i18n/", "/accounts/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and password_change_due(user)
        ):
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)


def password_change_due(user) -> bool:
    if user.must_change_password:
        return True
    max_age = settings.LIANXIN_PASSWORD_MAX_AGE_DAYS
    if max_age and user.password_changed_at is not None:
        return (timezone.now() - user.password_changed_at).days >= max_age
    return False
