"""Wishes in any state, built through the services so every invariant holds."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianxin.wishes import services
from lianxin.wishes.models import ClaimantKind, WishCategory


def jpeg_upload(name: str = "p.jpg", *, exif: bool = False, size=(64, 48)) -> SimpleUploadedFile:
    img = Image.new("RGB", size, (200, 30, 30))
    buf = io.BytesIO()
    if exif:
        ex = Image.Exif()
        ex[0x010F] = "CanaryCam"  # Make
        ex[0x8825] = {1: "N", 2: (34.0, 42.0, 51.0), 3: "E", 4: (104.0, 53.0, 2.0)}  # GPS
        img.save(buf, format="JPEG", exif=ex)
    else:
        img.save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def make_wish(
    world,
    state: str = "published",
    *,
    unit=None,
    title: str = "想要一台收音机",
    clerk=None,
    claimant=None,
):
    clerk = clerk or world.users["village_a"]
    unit = unit or world.grid_a1
    wish = services.wish_post(
        actor=clerk,
        unit=unit,
        title=title,
        category=WishCategory.DAILY,
        beneficiary_name="甲金丝雀",
        beneficiary_tag="独居老人",
    )
    if state == "pending":
        return wish
    if state == "declined":
        return services.wish_decline(actor=clerk, wish=wish, reason="不属于微心愿范围")
    wish = services.wish_publish(actor=clerk, wish=wish)
    if state == "published":
        return wish
    claimant = claimant or world.users["party_a"]
    wish = services.wish_claim(actor=claimant, wish=wish, kind=ClaimantKind.PARTY_MEMBER)
    if state == "claimed":
        return wish
    wish = services.wish_light(actor=claimant, wish=wish, photo=jpeg_upload(), note="已送到")
    if state == "lit":
        return wish
    return services.wish_confirm(actor=clerk, wish=wish, thanks="谢谢党员同志")


def make_wish_b(world, state: str = "published", *, title: str = "张家村心愿"):
    """A wish of town B's village, posted by its clerk and claimed by its party member: the
    other subtree of scoping tests."""
    return make_wish(
        world,
        state,
        unit=world.grid_b1,
        clerk=world.users["village_b"],
        claimant=world.users["party_b"],
        title=title,
    )
