"""Whether an account has a resident entry (and a party record on it), read once per request.

Several menu and object rules ask it on every page (surveys' "待填问卷" for someone who takes
part as a resident, wishes' "claim as a party member"): each asked the database on its own,
twice or more per page view. The session's user is read with both flags
(``accounts.backends.PhoneOrUsernameBackend.get_user``); any other user object asks once, and
the answer is kept on that object like ``org.scoping.user_scope``: never stale across requests.
"""

from __future__ import annotations

from dataclasses import dataclass

from lianxin.people.models import Person

_CACHE_ATTR = "_lx_person_flags"


@dataclass(frozen=True)
class PersonFlags:
    has_person: bool
    is_party_member: bool


def person_flags(user) -> PersonFlags:
    """The user's own resident entry: whether there is one, and whether it is a party member's."""
    if not (user and user.is_authenticated):
        return PersonFlags(False, False)
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if hasattr(user, "lx_person_id"):  # read with the session's user (accounts.backends)
        flags = PersonFlags(user.lx_person_id is not None, user.lx_party_member_id is not None)
    else:
        row = Person.objects.filter(user=user).values_list("id", "party_member__id").first()
        flags = PersonFlags(row is not None, bool(row and row[1]))
    setattr(user, _CACHE_ATTR, flags)
    return flags


def forget_person_flags(user) -> None:
    """Drop the cached flags (after linking or unlinking the user's entry in this request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
