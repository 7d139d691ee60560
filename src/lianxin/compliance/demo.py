"""Demo step: the county's signage campaign over every centre (a quarter with 多、乱、杂, most
since rectified), 60 实地指导 visits over the last months, and their rectification tasks, each
closed one with its after-photo.

Runs right after the venues step (DEMO_ORDER 30) and draws from the same random stream in the
same order as when it was that step's last part, so ``manage.py demo`` builds the same county.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from lianxin.compliance.models import (
    Inspection,
    InspectionScore,
    RectificationTask,
    SignageCampaign,
    SignageCheck,
    SignageEntry,
    SignageStandard,
)
from lianxin.compliance.standards import ensure_standard_sets
from lianxin.core.demo import DemoContext
from lianxin.org.models import Membership, Role, Unit
from lianxin.venues.models import PhotoKind, Venue, VenueKind, VenuePhoto

DEMO_ORDER = 31


def demo_build(ctx: DemoContext) -> None:
    county = ctx.county
    today = timezone.localdate(ctx.now)
    # the venues step's centres, in its order (one per village, villages by code)
    centres = list(
        Venue.objects.filter(kind=VenueKind.SERVICE_CENTER, unit__in=Unit.objects.under(county))
        .select_related("unit")
        .order_by("unit__code", "pk")
    )
    if not centres:
        return
    county_admin = (
        Membership.objects.filter(unit=county, role=Role.COUNTY_ADMIN)
        .values_list("user_id", flat=True)
        .first()
    )
    n_checks, n_inspections = _signage_and_inspections(ctx, centres, county, county_admin, today)
    ctx.log(f"挂牌检查 {n_checks} 处，实地指导 {n_inspections} 次")


EXTRA_PLAQUES = [
    "农家书屋（已撤并）",
    "老年协会",
    "计生协会",
    "科普活动室",
    "妇女之家",
    "关工委工作站",
    "红白理事会",
]
INSPECTION_NOTES = [
    "功能室使用记录不全",
    "宣传栏内容陈旧",
    "卫生间无人管理",
    "值班表未公示",
    "杂物堆放在活动室",
]


def _signage_and_inspections(ctx: DemoContext, centres, county, admin_id, today) -> tuple[int, int]:
    """挂牌专项整治 over every centre (a quarter with 多、乱、杂, most since rectified) and
    a few 实地指导 visits over the last months, with their rectification tasks."""
    rng = ctx.rng
    checklist = ensure_standard_sets()
    standards = list(SignageStandard.objects.filter(is_active=True))
    campaign = SignageCampaign.objects.create(
        unit=county,
        name=f"{today.year}年村级阵地挂牌和制度上墙专项整治",
        due_on=today + timedelta(days=20),
        opened_by_id=admin_id,
    )
    checks, plans = [], []
    for c in centres:
        if rng.random() < 0.1:
            continue  # not checked yet
        messy = rng.random() < 0.28
        missing = rng.sample(standards, rng.randint(0, 2)) if messy else []
        extras = rng.sample(EXTRA_PLAQUES, rng.randint(1, 3)) if messy else []
        if messy and not missing and not extras:
            extras = [rng.choice(EXTRA_PLAQUES)]
        done = messy and rng.random() < 0.6
        status = "rectified" if done else ("to_rectify" if messy else "compliant")
        checked_on = today - timedelta(days=rng.randint(10, 60))
        checks.append(
            SignageCheck(
                campaign=campaign,
                venue=c,
                status=status,
                checked_by_id=admin_id,
                checked_on=checked_on,
                rectified_on=checked_on + timedelta(days=7) if done else None,
            )
        )
        plans.append((missing, extras, done))
    SignageCheck.objects.bulk_create(checks, batch_size=1000)
    # opened before its first check (checks go back 60 days)
    SignageCampaign.objects.filter(pk=campaign.pk).update(created_at=ctx.now - timedelta(days=61))
    entries, tasks = [], []
    for check, (missing, extras, done) in zip(checks, plans, strict=True):
        for s in standards:
            entries.append(
                SignageEntry(
                    check_record=check,
                    standard=s,
                    name=s.name,
                    kind=s.kind,
                    verdict="missing" if s in missing else "ok",
                )
            )
        for e in extras:
            entries.append(SignageEntry(check_record=check, name=e, kind="plaque", verdict="extra"))
        for text in [f"补挂：{s.name}" for s in missing] + [f"撤除：{e}" for e in extras]:
            tasks.append(
                RectificationTask(
                    venue=check.venue,
                    source="signage",
                    signage_check=check,
                    description=text,
                    due_on=campaign.due_on,
                    closed_on=check.rectified_on,
                    closing_note="已按标准整改" if done else "",
                    closed_by_id=admin_id if done else None,
                )
            )
    SignageEntry.objects.bulk_create(entries, batch_size=2000)

    items = list(checklist.items.all())
    town_staff = dict(
        Membership.objects.filter(unit__parent=county, role=Role.TOWN_STAFF).values_list(
            "unit_id", "user_id"
        )
    )
    inspections, score_rows = [], []
    for c in rng.sample(centres, 60):
        visited = today - timedelta(days=rng.randint(3, 180))
        scores = []
        for item in items:
            good = rng.random() < 0.85
            s = (
                rng.randint(int(item.max_score * 0.7), item.max_score)
                if good
                else rng.randint(0, int(item.max_score * 0.5))
            )
            scores.append((item, s, s >= item.max_score * float(checklist.pass_ratio)))
        inspections.append(
            Inspection(
                venue=c,
                checklist=checklist,
                inspector_id=town_staff.get(c.town_id, admin_id),
                visited_on=visited,
                score=sum(x[1] for x in scores),
                max_score=sum(i.max_score for i in items),
                notes="对照标准化规范化要求逐项指导。",
            )
        )
        score_rows.append(scores)
    Inspection.objects.bulk_create(inspections, batch_size=500)
    scores_out = []
    for insp, scores in zip(inspections, score_rows, strict=True):
        for item, s, passed in scores:
            note = "" if passed else rng.choice(INSPECTION_NOTES)
            scores_out.append(
                InspectionScore(inspection=insp, item=item, score=s, passed=passed, note=note)
            )
            if not passed:
                due = insp.visited_on + timedelta(days=30)
                closed = due < today and rng.random() < 0.7
                tasks.append(
                    RectificationTask(
                        venue=insp.venue,
                        source="inspection",
                        inspection=insp,
                        description=f"{item.category}：{note}",
                        due_on=due,
                        closed_on=due - timedelta(days=3) if closed else None,
                        closing_note="已整改到位" if closed else "",
                        closed_by_id=admin_id if closed else None,
                    )
                )
    InspectionScore.objects.bulk_create(scores_out, batch_size=2000)
    RectificationTask.objects.bulk_create(tasks, batch_size=2000)
    _after_photos(ctx, [t for t in tasks if t.closed_on], admin_id)
    return len(checks), len(inspections)


def _after_photos(ctx: DemoContext, closed: list[RectificationTask], admin_id) -> None:
    """销号 needs an after-photo (compliance.rectification): every closed task gets one. One small
    picture is stored once and shared by the rows (the demo's stand-in for the clerks' photos)."""
    if not closed:
        return
    from django.core.files.storage import default_storage

    from lianxin.core.photos import photo_clean

    img = Image.new("RGB", (480, 360), (236, 240, 243))
    draw = ImageDraw.Draw(img)
    draw.rectangle((150, 80, 330, 280), fill=(250, 250, 250), outline=(180, 30, 40), width=6)
    draw.rectangle((170, 110, 310, 130), fill=(200, 40, 50))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    clean = photo_clean(ContentFile(buf.getvalue(), name="after.png"))
    name = default_storage.save(f"venues/demo-after-{clean.content.name}", clean.content)
    VenuePhoto.objects.bulk_create(
        [
            VenuePhoto(
                venue_id=t.venue_id,
                task=t,
                signage_check_id=t.signage_check_id,
                kind=PhotoKind.AFTER,
                image=name,
                caption=t.description[:100],
                width=clean.width,
                height=clean.height,
                uploaded_by_id=t.closed_by_id or admin_id,
            )
            for t in closed
        ],
        batch_size=2000,
    )
