from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import F, Q

from lianxin.core.validators import PHONE_RE, normalize_phone


class PhoneOrUsernameBackend(ModelBackend):
    """Log in by username or by the 11-digit mobile number on the account."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        phone = normalize_phone(username)
        user = None
        if PHONE_RE.match(phone):
            user = User.objects.filter(phone=phone).first()
        if user is None:
            user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same cost as a real check: no user enumeration
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_all_permissions(self, user_obj, obj=None):
        """The user's model permissions, their own and their groups', in one query.

        Django's ``ModelBackend`` reads them in two (user, then groups) on every request that
        checks a permission; the menu checks several on every page. Same answer, same
        per-request cache (``_perm_cache``), one statement: a page's fixed cost (issue 16).
        """
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            perms = Permission.objects.all()
            if not user_obj.is_superuser:
                perms = perms.filter(Q(user=user_obj) | Q(group__user=user_obj))
            pairs = perms.order_by().values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in pairs}
        return user_obj._perm_cache

    def get_user(self, user_id):
        """The session's user, with whether they have a resident entry (and a party record on
        it) read in the same query: the menu's rules ask on every page (``people.links``)."""
        User = get_user_model()
        try:
            user = User._default_manager.annotate(
                lx_person_id=F("person__id"), lx_party_member_id=F("person__party_member__id")
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
