"""Writes on 微心愿. Each service is atomic and appends to the wish's timeline.

Flow (Qingyang's 微心愿): post → review (publish or decline with a reason) → claim (认领, at most
one active claimant) → light (点亮, photo proof) → confirm (the resident, or the clerk for them)
→ thanks. Confirmation credits the claimant's hours and points (one entry per wish).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.photos import photo_clean
from lianxin.org.models import GRID_KINDS, VILLAGE_KINDS, Unit
from lianxin.org.scoping import user_scope
from lianxin.people.models import Person
from lianxin.wishes import rules as wish_rules
from lianxin.wishes.claimed import WishAlreadyClaimed
from lianxin.wishes.models import (
    CLAIMED_STATES,
    ClaimantKind,
    Wish,
    WishCategory,
    WishClaim,
    WishEvent,
    WishEventKind,
    WishStatus,
)
from lianxin.wishes.telling import tell_claimed, tell_lit, tell_published

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.volunteers.models import Team

MAX_VALUE = Decimal("2000")  # a micro-wish is small; larger needs go through 诉求 or 救助
PHOTO_MAX_SIDE = 1600  # a lit-wish proof photo is shown at phone size


def _event(wish: Wish, kind: str, actor: User, note: str = "") -> WishEvent:
    return WishEvent.objects.create(wish=wish, kind=kind, actor=actor, note=note[:300])


def _community_of(unit: Unit) -> Unit:
    if unit.kind in VILLAGE_KINDS:
        return unit
    for anc in unit.ancestors().order_by("-depth"):
        if anc.kind in VILLAGE_KINDS:
            return anc
    raise ValidationError(_("心愿必须落在某个村（社区）内。"))


CLAIMANT_FIELDS = [
    "status",
    "claimant_kind",
    "claimed_by",
    "claimant_team",
    "claimant_unit",
    "claimant_name",
    "claimed_at",
    "updated_at",
]


def _set_claimant(
    wish: Wish,
    *,
    status: str,
    kind: str = "",
    user: User | None = None,
    team: Team | None = None,
    unit: Unit | None = None,
    name: str = "",
    at: datetime | None = None,
) -> None:
    """Write who holds the wish (all blank when it goes back to the wall) in one save."""
    wish.status = status
    wish.claimant_kind, wish.claimed_by, wish.claimant_team, wish.claimant_unit = (
        kind,
        user,
        team,
        unit,
    )
    wish.claimant_name, wish.claimed_at = name[:100], at
    wish.save(update_fields=CLAIMANT_FIELDS)


def _locked(wish: Wish) -> Wish:
    return Wish.objects.select_for_update().select_related("unit").get(pk=wish.pk)


@transaction.atomic
def wish_post(
    *,
    actor: User,
    unit: Unit,
    title: str,
    category: str,
    content: str = "",
    value: Decimal | None = None,
    beneficiary: Person | None = None,
    beneficiary_name: str = "",
    beneficiary_tag: str = "",
    submission_key: str = "",
    request: HttpRequest | None = None,
) -> Wish:
    """A resident posts their own wish; staff may post for someone in their area (代为提交).

    Idempotent per form: a repeated ``submission_key`` from the same poster returns the wish
    the first submission made (a unique constraint backs this under concurrency).
    """
    submission_key = (submission_key or "")[:36]
    if submission_key:
        existing = Wish.objects.filter(posted_by=actor, submission_key=submission_key).first()
        if existing is not None:
            return existing
    title = (title or "").strip()
    if len(title) < 2:
        raise ValidationError({"title": _("请用一句话写下心愿。")})
    if category not in WishCategory.values:
        raise ValidationError({"category": _("请选择心愿类别。")})
    if value is not None and (value < 0 or value > MAX_VALUE):
        raise ValidationError({"value": _("微心愿的价值应在 0 到 2000 元之间。")})
    if unit.kind not in GRID_KINDS and unit.kind not in VILLAGE_KINDS:
        raise ValidationError({"unit": _("请选择心愿人所在的网格或村（社区）。")})
    scope = user_scope(actor)
    on_behalf = False
    if scope.covers(unit):
        on_behalf = True
        if beneficiary is not None:
            if not scope.covers(beneficiary.unit):
                raise PermissionDenied("wishes.post_wish")
            beneficiary_name = beneficiary.name
        beneficiary_name = (beneficiary_name or "").strip()
        if not beneficiary_name:
            raise ValidationError({"beneficiary_name": _("代为提交时请填写心愿人姓名。")})
    else:
        person = Person.objects.filter(user=actor).select_related("unit").first()
        if person is None or not (person.unit_id == unit.pk or person.unit.is_under(unit)):
            raise PermissionDenied("wishes.post_wish")
        beneficiary, beneficiary_name = person, person.name
    fields = dict(
        unit=unit,
        community=_community_of(unit),
        title=title,
        content=(content or "").strip(),
        category=category,
        value=value,
        beneficiary=beneficiary,
        beneficiary_name=beneficiary_name[:50],
        beneficiary_tag=beneficiary_tag[:20],
        posted_by=actor,
        on_behalf=on_behalf,
        submission_key=submission_key,
    )
    try:
        with transaction.atomic():
            wish = Wish.objects.create(**fields)
    except IntegrityError:
        return Wish.objects.get(posted_by=actor, submission_key=submission_key)
    _event(wish, WishEventKind.POSTED, actor, _("代为提交") if on_behalf else "")
    audit_record(action=AuditAction.CREATE, actor=actor, target=wish, request=request)
    return wish


@transaction.atomic
def wish_publish(*, actor: User, wish: Wish, request: HttpRequest | None = None) -> Wish:
    """审核发布: a reviewing role over the wish's grid (``rules.reviews_wish``) publishes a
    pending wish to the wall; only a pending wish, so a declined or claimed one is never
    re-published behind its claimant's back."""
    wish = _locked(wish)
    if not wish_rules.reviews_wish.test(actor, wish):
        raise PermissionDenied("wishes.review_wish")
    if wish.status != WishStatus.PENDING:
        raise ValidationError(_("只有待审核的心愿可以发布。"))
    now = timezone.now()
    wish.status = WishStatus.PUBLISHED
    wish.reviewed_by, wish.reviewed_at, wish.published_at = actor, now, now
    wish.save(update_fields=["status", "reviewed_by", "reviewed_at", "published_at", "updated_at"])
    _event(wish, WishEventKind.PUBLISHED, actor)
    tell_published(wish, actor)
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=wish, reason="publish", request=request
    )
    return wish


@transaction.atomic
def wish_decline(
    *, actor: User, wish: Wish, reason: str, request: HttpRequest | None = None
) -> Wish:
    """退回: a reviewing role over the wish (``rules.reviews_wish``) declines a pending wish,
    always with a reason, since the resident is shown it (the table's check backs this)."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("请填写未通过的原因，心愿人会看到它。")})
    wish = _locked(wish)
    if not wish_rules.reviews_wish.test(actor, wish):
        raise PermissionDenied("wishes.review_wish")
    if wish.status != WishStatus.PENDING:
        raise ValidationError(_("只有待审核的心愿可以退回。"))
    wish.status = WishStatus.DECLINED
    wish.decline_reason = reason[:200]
    wish.reviewed_by, wish.reviewed_at = actor, timezone.now()
    wish.save(
        update_fields=["status", "decline_reason", "reviewed_by", "reviewed_at", "updated_at"]
    )
    _event(wish, WishEventKind.DECLINED, actor, reason)
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=wish, reason=reason, request=request
    )
    return wish


def _claimant(
    actor: User, kind: str, team: Team | None, unit: Unit | None
) -> tuple[str, Team | None, Unit | None]:
    """Check the actor may claim as ``kind`` (the claimant rules in ``wishes.rules``); return
    (display name, team, unit)."""
    name = str(actor)
    if kind == ClaimantKind.PARTY_MEMBER:
        if not wish_rules.is_party_member.test(actor):
            raise PermissionDenied(_("只有党员可以以党员身份认领。"))
        return name, None, None
    if kind == ClaimantKind.VOLUNTEER:
        if not wish_rules.is_volunteer.test(actor):
            raise PermissionDenied(_("请先加入志愿服务队再认领。"))
        return name, None, None
    if kind == ClaimantKind.TEAM:
        if team is None:
            raise ValidationError(_("请选择认领的队伍。"))
        if not wish_rules.speaks_for_team.test(actor, team):
            raise PermissionDenied(_("只有队伍成员可以代表队伍认领。"))
        return team.name, team, None
    if kind == ClaimantKind.UNIT:
        if unit is None or not wish_rules.speaks_for_unit.test(actor, unit):
            raise PermissionDenied(_("只能代表本单位认领。"))
        return unit.name, None, unit
    raise ValidationError(_("请选择认领方式。"))


@transaction.atomic
def wish_claim(
    *,
    actor: User,
    wish: Wish,
    kind: str,
    team: Team | None = None,
    unit: Unit | None = None,
    request: HttpRequest | None = None,
) -> Wish:
    """认领: at most one active claimant. The wish row is locked first; the partial unique
    constraint on WishClaim is the last line if two transactions ever slip past the lock."""
    name, team, unit = _claimant(actor, kind, team, unit)
    wish = _locked(wish)
    if wish.status in CLAIMED_STATES:
        # The second of two claimants waits on the row lock, then lands here: say who has it.
        raise WishAlreadyClaimed(wish)
    if wish.status != WishStatus.PUBLISHED:
        raise ValidationError(_("这个心愿已被认领或暂不能认领。"))
    try:
        with transaction.atomic():
            WishClaim.objects.create(wish=wish, kind=kind, user=actor, team=team, unit=unit)
    except IntegrityError as exc:
        wish.refresh_from_db()
        if wish.status in CLAIMED_STATES:
            raise WishAlreadyClaimed(wish) from exc
        raise ValidationError(_("这个心愿已被认领或暂不能认领。")) from exc
    _set_claimant(
        wish,
        status=WishStatus.CLAIMED,
        kind=kind,
        user=actor,
        team=team,
        unit=unit,
        name=name,
        at=timezone.now(),
    )
    _event(wish, WishEventKind.CLAIMED, actor, name)
    tell_claimed(wish, actor)
    return wish


@transaction.atomic
def wish_release(
    *, actor: User, wish: Wish, reason: str = "", request: HttpRequest | None = None
) -> Wish:
    """放弃认领: the claimant, or staff who review the wish (``rules.holds_wish``), gives it back
    to the wall; only before it is lit, since a lit wish has its proof photo."""
    wish = _locked(wish)
    if wish.status != WishStatus.CLAIMED:
        raise ValidationError(_("只有已认领、尚未点亮的心愿可以放弃认领。"))
    if not wish_rules.holds_wish.test(actor, wish):
        raise PermissionDenied("wishes.claim_wish")
    WishClaim.objects.filter(wish=wish, is_active=True).update(
        is_active=False, released_at=timezone.now()
    )
    _set_claimant(wish, status=WishStatus.PUBLISHED)
    _event(wish, WishEventKind.RELEASED, actor, reason)
    return wish


@transaction.atomic
def wish_light(
    *,
    actor: User,
    wish: Wish,
    photo: UploadedFile,
    note: str = "",
    request: HttpRequest | None = None,
) -> Wish:
    """点亮: the claimant (or staff who review it, ``rules.holds_wish``) fulfils a claimed wish
    and proves it with a photo (EXIF stripped, so no location leaves with it)."""
    clean = photo_clean(photo, max_side=PHOTO_MAX_SIDE).content
    wish = _locked(wish)
    if wish.status != WishStatus.CLAIMED:
        raise ValidationError(_("只有已认领的心愿可以点亮。"))
    if not wish_rules.holds_wish.test(actor, wish):
        raise PermissionDenied("wishes.light_wish")
    wish.lit_photo.save(clean.name or "", clean, save=False)
    wish.status = WishStatus.LIT
    wish.lit_at = timezone.now()
    wish.lit_note = (note or "").strip()[:300]
    wish.save(update_fields=["status", "lit_at", "lit_note", "lit_photo", "updated_at"])
    _event(wish, WishEventKind.LIT, actor, wish.lit_note)
    tell_lit(wish, actor)
    return wish


@transaction.atomic
def wish_confirm(
    *, actor: User, wish: Wish, thanks: str = "", request: HttpRequest | None = None
) -> Wish:
    """The resident (or the clerk for an elder, ``rules.acts_for_resident``) confirms a lit wish
    came true; the claimant's hours and points are credited once (the service record is unique
    per wish)."""
    from lianxin.volunteers.services import service_record_for_wish

    wish = _locked(wish)
    if wish.status != WishStatus.LIT:
        raise ValidationError(_("心愿点亮后才能确认。"))
    if not wish_rules.acts_for_resident.test(actor, wish):
        raise PermissionDenied("wishes.confirm_wish")
    wish.status = WishStatus.CONFIRMED
    wish.confirmed_at = timezone.now()
    wish.thanks = (thanks or "").strip()[:300]
    wish.save(update_fields=["status", "confirmed_at", "thanks", "updated_at"])
    _event(wish, WishEventKind.CONFIRMED, actor, wish.thanks)
    service_record_for_wish(wish=wish, confirmed_by=actor)
    return wish


@transaction.atomic
def wish_thank(*, actor: User, wish: Wish, thanks: str, request: HttpRequest | None = None) -> Wish:
    """致谢: the resident (or the clerk for them, ``rules.acts_for_resident``) thanks the
    claimant; only once the wish is confirmed, and never with an empty text."""
    thanks = (thanks or "").strip()
    if not thanks:
        raise ValidationError({"thanks": _("请写下感谢的话。")})
    wish = _locked(wish)
    if wish.status != WishStatus.CONFIRMED:
        raise ValidationError(_("心愿确认实现后才能致谢。"))
    if not wish_rules.acts_for_resident.test(actor, wish):
        raise PermissionDenied("wishes.confirm_wish")
    wish.thanks = thanks[:300]
    wish.save(update_fields=["thanks", "updated_at"])
    _event(wish, WishEventKind.THANKED, actor, wish.thanks)
    return wish


@transaction.atomic
def wish_chase(
    *, actor: User, wish: Wish, note: str = "", request: HttpRequest | None = None
) -> Wish:
    """催办: a reviewing role over the wish (``rules.reviews_wish``) records that they pushed a
    published, unclaimed wish (e.g. sent it to the 示范岗 group)."""
    wish = _locked(wish)
    if not wish_rules.reviews_wish.test(actor, wish):
        raise PermissionDenied("wishes.review_wish")
    if wish.status != WishStatus.PUBLISHED:
        raise ValidationError(_("只有待认领的心愿需要催办。"))
    _event(wish, WishEventKind.CHASED, actor, note or _("已推送给党员和志愿服务队"))
    return wish
