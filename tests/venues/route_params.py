"""URL kwargs for every 阵地 route, each pointing at an object in town A's subtree."""

from tests.venues import factories as f


def _a(w):
    return f.venue_a(w)


ROUTE_KWARGS = {
    "venues:venue_detail": lambda w: {"pk": _a(w).pk},
    "venues:venue_edit": lambda w: {"pk": _a(w).pk},
    "venues:hazard_add": lambda w: {"pk": _a(w).pk},
    "venues:hazard_resolve": lambda w: {"pk": f.hazard_for(_a(w)).pk},
    "venues:photo_upload": lambda w: {"pk": _a(w).pk},
    "venues:photo_file": lambda w: {"pk": f.photo_for(_a(w)).pk},
    "venues:venue_board": lambda w: {"pk": _a(w).pk},
    "venues:duty_photo": lambda w: {"pk": _duty_with_photo(w).pk},
    "venues:venue_roster": lambda w: {"pk": _a(w).pk},
    "venues:roster_copy": lambda w: {"pk": _a(w).pk},
    "venues:duty_remove": lambda w: {"pk": f.duty_for(_a(w), w.users["village_a"]).pk},
    "venues:certificate_add": lambda w: {"pk": _a(w).pk},
    # A campaign opened by town A over its own subtree: town B must not see it.
    "venues:campaign_detail": lambda w: {"pk": _campaign_a(w).pk},
    "venues:campaign_mine": lambda w: {"pk": _campaign_a(w).pk},
    "venues:campaign_close": lambda w: {"pk": _campaign_a(w).pk},
    "venues:campaign_chase": lambda w: {"pk": _campaign_a(w).pk},
    "venues:campaign_fill": lambda w: {"pk": f.campaign_for(w).pk, "unit_id": w.village_a.pk},
    "venues:plan_create": lambda w: {"pk": _a(w).pk},
    "venues:plan_detail": lambda w: {"pk": f.plan_for(_a(w)).pk},
    "venues:plan_advance": lambda w: {"pk": f.plan_for(_a(w)).pk},
    "api:venues_venue": lambda w: {"pk": _a(w).pk},
    "api:venues_campaign_progress": lambda w: {"pk": _campaign_a(w).pk},
}


# The survey campaign is closed and chased by the county (venues.open_campaign).
ROUTE_OWNERS = {
    "venues:campaign_close": "county_admin",
    "venues:campaign_chase": "county_admin",
}


def _duty_with_photo(w):
    """Today's shift of village A's clerk, who has a photo (the board shows it)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    staff = w.users["village_a"]
    if not staff.photo:
        buf = io.BytesIO()
        Image.new("RGB", (8, 8), "blue").save(buf, format="PNG")
        staff.photo.save("duty.png", ContentFile(buf.getvalue()), save=True)
    return f.duty_for(_a(w), staff)


def _campaign_a(w):
    from datetime import timedelta

    from django.utils import timezone

    from lianxin.venues.models import SurveyCampaign

    return SurveyCampaign.objects.get_or_create(
        unit=w.town_a,
        name="城关镇阵地摸排",
        defaults={"due_on": timezone.localdate() + timedelta(days=5)},
    )[0]


def CANARIES(w):  # noqa: N802
    """Town A's venue record details that town B must never see (objects created on demand)."""
    venue = _a(w)
    f.hazard_for(venue)
    f.plan_for(venue)
    return [f.CANARY_HAZARD_A, "甲阵地风貌"]
