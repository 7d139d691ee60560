"""Password spraying: a failure limit for one address over all usernames that an office survives.

django-axes locks a (username, address) pair after 5 failures, so one attacker cannot lock a
town office (about 20 staff behind one NAT address) out by typing their names. But then one
address could try a common password on every username: 40 usernames were never blocked.

The rule here (``LIANXIN_LOGIN_ADDRESS_LIMIT``, default 30 failures in a fixed 15-minute window,
counted in the shared cache over all usernames):

* Past the limit the address may still log in to accounts that logged in successfully *from that
  same address* in the last ``LIANXIN_LOGIN_KNOWN_ADDRESS_DAYS`` days (axes' access log). The
  office's regular staff keep working; against them the sprayer has only the 5 tries per pair
  per 30 minutes that axes gives anyway.
* Every other username is refused before its password is checked, so the attempt tells the
  sprayer nothing, and the refusal is audited.

The trade-off, accepted: while an attack runs from an office's own address, a colleague who never
logged in from there (new staff, a new office) waits until the window ends (at most 15 minutes)
or logs in over another network; an attacker who knows which accounts are used in that office
keeps 5 guesses per account per 30 minutes. Axes' own address-only lock-out was not used: it has
one failure limit for every parameter set (5 would lock the office out) and resets the
address count on any colleague's successful log-in, which would restart the sprayer's budget.
"""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils import timezone

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.ratelimit import client_address, client_bucket, hit, hits
from lianxin.core.validators import PHONE_RE, normalize_phone

SCOPE = "login-failures"


def login_failure_count(request: HttpRequest) -> None:
    """Count one failed log-in against the client address (any username)."""
    _limit, window = settings.LIANXIN_LOGIN_ADDRESS_LIMIT
    hit(scope=SCOPE, key=client_bucket(request), window=window)


def _account_name(typed: str) -> str | None:
    """The account a typed login resolves to, as PhoneOrUsernameBackend resolves it."""
    User = get_user_model()
    user = None
    phone = normalize_phone(typed)
    if PHONE_RE.match(phone):
        user = User.objects.filter(phone=phone).first()
    if user is None:
        user = User.objects.filter(username=typed).first()
    return user.get_username() if user is not None else None


def known_here(*, username: str, address: str) -> bool:
    """True if this account logged in successfully from this address recently."""
    account = _account_name(username)
    if account is None or not address:
        return False
    since = timezone.now() - timedelta(days=settings.LIANXIN_LOGIN_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username=account, ip_address=address, attempt_time__gte=since
    ).exists()


def address_blocked(*, request: HttpRequest, username: str) -> bool:
    """True when this address is past its failure limit and the account is not known here."""
    limit, _window = settings.LIANXIN_LOGIN_ADDRESS_LIMIT
    if hits(scope=SCOPE, key=client_bucket(request)) < limit:
        return False
    return not known_here(username=username, address=client_address(request))


def audit_blocked(*, request: HttpRequest, username: str) -> None:
    """The refusal is audited like a failure, with its own outcome."""
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        username=str(username)[:150],
        outcome="blocked",
        request=request,
        extra={"rule": "address_failure_limit"},
    )
