from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from PIL import Image

from lianxin.audit.models import AuditEvent
from lianxin.volunteers.models import ServiceRecord, SourceKind
from lianxin.volunteers.services import service_record_for_wish
from lianxin.wishes import services
from lianxin.wishes.models import (
    ClaimantKind,
    Wish,
    WishCategory,
    WishClaim,
    WishEventKind,
    WishStatus,
)
from tests.wishes.factories import jpeg_upload, make_wish

pytestmark = pytest.mark.django_db


def test_resident_posts_own_wish_in_own_grid(world):
    wish = services.wish_post(
        actor=world.users["resident_a"],
        unit=world.grid_a1,
        title="想学用智能手机",
        category=WishCategory.STUDY,
    )
    assert wish.status == WishStatus.PENDING
    assert wish.beneficiary == world.persons["a"]
    assert wish.beneficiary_name == "甲金丝雀"
    assert wish.community == world.village_a
    assert not wish.on_behalf
    assert list(wish.events.values_list("kind", flat=True)) == [WishEventKind.POSTED]
    assert AuditEvent.objects.filter(target_type="wishes.wish", target_id=str(wish.pk)).exists()


def test_resident_cannot_post_into_another_grid(world):
    with pytest.raises(PermissionDenied):
        services.wish_post(
            actor=world.users["resident_a"],
            unit=world.grid_b1,
            title="想要书包",
            category=WishCategory.STUDY,
        )


def test_clerk_posts_on_behalf_of_an_elder(world):
    wish = make_wish(world, "pending")
    assert wish.on_behalf and wish.posted_by == world.users["village_a"]
    with pytest.raises(ValidationError):
        services.wish_post(
            actor=world.users["village_a"],
            unit=world.grid_a1,
            title="想要拐杖",
            category=WishCategory.DAILY,
        )


def test_clerk_cannot_post_outside_subtree(world):
    with pytest.raises(PermissionDenied):
        services.wish_post(
            actor=world.users["village_b"],
            unit=world.grid_a1,
            title="想要拐杖",
            category=WishCategory.DAILY,
            beneficiary_name="某某",
        )


def test_value_is_bounded(world):
    with pytest.raises(ValidationError):
        services.wish_post(
            actor=world.users["village_a"],
            unit=world.grid_a1,
            title="想要电视",
            category=WishCategory.DAILY,
            beneficiary_name="某某",
            value=Decimal("5000"),
        )


def test_publish_and_decline_need_the_reviewer_scope(world):
    wish = make_wish(world, "pending")
    with pytest.raises(PermissionDenied):
        services.wish_publish(actor=world.users["town_b"], wish=wish)
    with pytest.raises(ValidationError):
        services.wish_decline(actor=world.users["village_a"], wish=wish, reason="")
    wish = services.wish_decline(
        actor=world.users["village_a"], wish=wish, reason="请走低保救助渠道"
    )
    assert wish.status == WishStatus.DECLINED and wish.decline_reason
    with pytest.raises(ValidationError):
        services.wish_publish(actor=world.users["village_a"], wish=wish)


def test_claim_once_only(world):
    wish = make_wish(world, "published")
    wish = services.wish_claim(
        actor=world.users["party_a"], wish=wish, kind=ClaimantKind.PARTY_MEMBER
    )
    assert wish.status == WishStatus.CLAIMED and wish.claimed_by == world.users["party_a"]
    with pytest.raises(ValidationError):
        services.wish_claim(actor=world.users["party_b"], wish=wish, kind=ClaimantKind.PARTY_MEMBER)
    assert WishClaim.objects.filter(wish=wish, is_active=True).count() == 1


def test_resident_cannot_claim_as_party_member(world):
    wish = make_wish(world, "published")
    with pytest.raises(PermissionDenied):
        services.wish_claim(
            actor=world.users["resident_a"], wish=wish, kind=ClaimantKind.PARTY_MEMBER
        )


def test_unit_claim_needs_own_unit(world):
    wish = make_wish(world, "published")
    with pytest.raises(PermissionDenied):
        services.wish_claim(
            actor=world.users["dept"], wish=wish, kind=ClaimantKind.UNIT, unit=world.village_a
        )
    wish = services.wish_claim(
        actor=world.users["dept"], wish=wish, kind=ClaimantKind.UNIT, unit=world.department
    )
    assert wish.claimant_unit == world.department and wish.claimant_name == "县住建局"


def test_database_refuses_a_second_active_claim(world):
    wish = make_wish(world, "claimed")
    with pytest.raises(IntegrityError), transaction.atomic():
        WishClaim.objects.create(
            wish=wish, kind=ClaimantKind.PARTY_MEMBER, user=world.users["party_b"]
        )


def test_release_returns_the_wish_to_the_wall(world):
    wish = make_wish(world, "claimed")
    with pytest.raises(PermissionDenied):
        services.wish_release(actor=world.users["party_b"], wish=wish)
    wish = services.wish_release(actor=world.users["party_a"], wish=wish, reason="临时出差")
    assert wish.status == WishStatus.PUBLISHED and wish.claimed_by is None
    wish = services.wish_claim(
        actor=world.users["party_b"], wish=wish, kind=ClaimantKind.PARTY_MEMBER
    )
    assert wish.claimed_by == world.users["party_b"]
    assert WishClaim.objects.filter(wish=wish).count() == 2


def test_light_strips_exif_and_reencodes(world):
    wish = make_wish(world, "claimed")
    upload = jpeg_upload(exif=True)
    assert b"CanaryCam" in upload.read()
    upload.seek(0)
    wish = services.wish_light(
        actor=world.users["party_a"], wish=wish, photo=upload, note="收音机已送到"
    )
    assert wish.status == WishStatus.LIT and wish.lit_at
    with wish.lit_photo.open("rb") as fh:
        data = fh.read()
    assert b"CanaryCam" not in data
    with wish.lit_photo.open("rb") as fh, Image.open(fh) as img:
        assert img.format == "JPEG"
        assert not img.getexif()


def test_light_photo_is_scaled_to_phone_size(world):
    wish = make_wish(world, "claimed")
    wish = services.wish_light(
        actor=world.users["party_a"], wish=wish, photo=jpeg_upload(size=(3200, 800))
    )
    with wish.lit_photo.open("rb") as fh, Image.open(fh) as img:
        assert img.size == (services.PHOTO_MAX_SIDE, 400)


def test_light_refuses_non_images_and_big_files(world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    wish = make_wish(world, "claimed")
    with pytest.raises(ValidationError):
        services.wish_light(
            actor=world.users["party_a"],
            wish=wish,
            photo=SimpleUploadedFile("x.jpg", b"<html>not an image</html>"),
        )
    gif = Image.new("RGB", (10, 10))
    import io

    buf = io.BytesIO()
    gif.save(buf, format="GIF")
    with pytest.raises(ValidationError):
        services.wish_light(
            actor=world.users["party_a"],
            wish=wish,
            photo=SimpleUploadedFile("x.gif", buf.getvalue()),
        )
    settings.LIANXIN_MAX_PHOTO_BYTES = 100
    with pytest.raises(ValidationError):
        services.wish_light(actor=world.users["party_a"], wish=wish, photo=jpeg_upload())
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED


def test_only_claimant_or_staff_lights(world):
    wish = make_wish(world, "claimed")
    with pytest.raises(PermissionDenied):
        services.wish_light(actor=world.users["party_b"], wish=wish, photo=jpeg_upload())


def test_confirm_credits_claimant_once(world):
    wish = make_wish(world, "lit")
    with pytest.raises(PermissionDenied):
        services.wish_confirm(actor=world.users["resident_b"], wish=wish)
    wish = services.wish_confirm(actor=world.users["village_a"], wish=wish, thanks="谢谢")
    assert wish.status == WishStatus.CONFIRMED
    rec = ServiceRecord.objects.get(source_kind=SourceKind.WISH, source_id=wish.pk)
    assert rec.user == world.users["party_a"] and rec.points == 5 and rec.status == "confirmed"
    assert rec.unit == world.village_a  # the party member's membership unit
    # A second credit for the same wish is the same row, never a second one.
    assert service_record_for_wish(wish=wish, confirmed_by=world.users["village_a"]).pk == rec.pk
    assert ServiceRecord.objects.filter(source_kind=SourceKind.WISH, source_id=wish.pk).count() == 1
    with pytest.raises(ValidationError):
        services.wish_confirm(actor=world.users["village_a"], wish=wish)


def test_beneficiary_confirms_and_thanks(world):
    wish = services.wish_post(
        actor=world.users["resident_a"],
        unit=world.grid_a1,
        title="想要一副老花镜",
        category=WishCategory.HEALTH,
    )
    wish = services.wish_publish(actor=world.users["village_a"], wish=wish)
    wish = services.wish_claim(
        actor=world.users["party_a"], wish=wish, kind=ClaimantKind.PARTY_MEMBER
    )
    wish = services.wish_light(actor=world.users["party_a"], wish=wish, photo=jpeg_upload())
    wish = services.wish_confirm(actor=world.users["resident_a"], wish=wish)
    wish = services.wish_thank(actor=world.users["resident_a"], wish=wish, thanks="感谢党员！")
    kinds = list(wish.events.values_list("kind", flat=True))
    assert kinds == ["posted", "published", "claimed", "lit", "confirmed", "thanked"]


def test_chase_only_published(world):
    wish = make_wish(world, "published")
    services.wish_chase(actor=world.users["village_a"], wish=wish)
    assert wish.events.filter(kind=WishEventKind.CHASED).exists()
    claimed = make_wish(world, "claimed", title="另一个心愿")
    with pytest.raises(ValidationError):
        services.wish_chase(actor=world.users["village_a"], wish=claimed)


def test_check_constraints(world):
    wish = make_wish(world, "pending")
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=wish.pk).update(status=WishStatus.CLAIMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=wish.pk).update(status=WishStatus.DECLINED)


def test_same_submission_key_makes_one_wish(world):
    kw = dict(
        actor=world.users["village_a"],
        unit=world.grid_a1,
        title="想要一台收音机",
        category=WishCategory.DAILY,
        beneficiary_name="王奶奶",
    )
    a = services.wish_post(**kw, submission_key="k1")
    b = services.wish_post(**kw, submission_key="k1")
    c = services.wish_post(**kw, submission_key="k2")
    assert a.pk == b.pk != c.pk
    assert Wish.objects.count() == 2 and a.events.count() == 1
