"""Builders for 阵地规范化 objects in the ``world`` tree (through the services where it matters)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lianxin.venues.models import VenuePhoto


def standards():
    from lianxin.compliance.models import SignageStandard
    from lianxin.compliance.standards import ensure_standard_sets

    ensure_standard_sets()
    return list(SignageStandard.objects.order_by("order"))


def checklist():
    from lianxin.compliance.standards import ensure_standard_sets

    return ensure_standard_sets()


def signage_campaign_for(world, unit=None):
    from lianxin.compliance.models import SignageCampaign

    return SignageCampaign.objects.get_or_create(
        unit=unit or world.county,
        name="挂牌专项整治",
        defaults={"due_on": timezone.localdate() + timedelta(days=20)},
    )[0]


def signage_check_for(world, venue, extras=("甲阵地多挂牌",)):
    from lianxin.compliance import services

    campaign = signage_campaign_for(world)
    existing = campaign.checks.filter(venue=venue).first()
    if existing:
        return existing
    present = {s.pk for s in standards()[1:]}
    return services.signage_check_submit(
        actor=world.users["county_admin"],
        campaign=campaign,
        venue=venue,
        present=present,
        extras=list(extras),
    )


def inspection_for(world, venue, failing=True):
    from lianxin.compliance import services

    cl = checklist()
    items = list(cl.items.all())
    scores = {
        i.pk: (
            0 if failing and n == 0 else i.max_score,
            "甲阵地卫生问题" if failing and n == 0 else "",
        )
        for n, i in enumerate(items)
    }
    return services.inspection_record(
        actor=world.users["county_admin"], venue=venue, checklist=cl, scores=scores
    )


def after_photo_for(task) -> VenuePhoto:
    """An after-photo (整改后) of a rectification task, stored directly (销号 needs one)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buf, format="JPEG")
    photo = VenuePhoto(venue=task.venue, kind="after", task=task, caption="整改后")
    photo.image.save("after.jpg", ContentFile(buf.getvalue()), save=False)
    photo.save()
    return photo
