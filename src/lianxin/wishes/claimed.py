"""What a second claimant is told: the wish is taken, by whom (masked) and since when.

A wish on the wall already shows that it is claimed; a team or unit claimant is named there in
full (an organisation, not a person), a party member or volunteer is not named at all. So the
notice names an organisation as the wall does and masks a person (core.masking.mask_name):
enough to tell "someone from 东关社区党委 has it" from "my neighbour 张* has it", never a
full personal name to someone outside the wish.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.core.masking import mask_name
from lianxin.wishes.models import ClaimantKind, Wish

PERSON_KINDS = (ClaimantKind.PARTY_MEMBER, ClaimantKind.VOLUNTEER)


def claimant_shown(wish: Wish) -> str:
    """The claimant as a non-involved user may see it: a person masked, a team or unit named."""
    if wish.claimant_kind in PERSON_KINDS:
        return mask_name(wish.claimant_name)
    return wish.claimant_name


def claimed_when(wish: Wish) -> str:
    """The claim time in Asia/Shanghai, with the year (a claim may be last year's)."""
    if wish.claimed_at is None:
        return ""
    return timezone.localtime(wish.claimed_at).strftime("%Y-%m-%d %H:%M")


def claimed_message(wish: Wish) -> str:
    if not wish.claimant_name:
        return _("该心愿已被认领。")
    return _("该心愿已被认领（认领方：%(who)s，认领时间：%(when)s）。") % {
        "who": claimant_shown(wish),
        "when": claimed_when(wish),
    }


class WishAlreadyClaimed(ValidationError):
    """Raised by ``wish_claim`` when someone else (or the actor) holds the wish already; it
    carries the wish so a view can show the notice page rather than a bare error."""

    def __init__(self, wish: Wish) -> None:
        self.wish = wish
        super().__init__(claimed_message(wish), code="already_claimed")
