"""Demo step: point rules, teams and model posts with their 责任区 (一区一岗两队).

First of the three steps split from the activities demo (ADR 0008): volunteers (60), events (61),
brands (62) draw from ``ctx.rng`` in the order the single step did, so a seed gives the same data."""

from __future__ import annotations

from datetime import timedelta

from lianxin.core.demo import DemoContext
from lianxin.org.demo import county_people
from lianxin.volunteers.models import (
    ModelPost,
    PointRule,
    ResponsibilityArea,
    Team,
    TeamKind,
    TeamMember,
)
from lianxin.volunteers.services import DEFAULT_POINTS

DEMO_ORDER = 60

POSTS = [
    "政策宣讲示范岗",
    "邻里调解示范岗",
    "助老服务示范岗",
    "环境卫生示范岗",
    "产业帮带示范岗",
    "平安巡逻示范岗",
]
# A team's name says what it is: the demo never calls a 党员服务队 a 突击队.
TEAM_NAMES = {TeamKind.COMMANDO: "党员突击队", TeamKind.SERVICE: "党员服务队"}
TEAM_DUTIES = {
    TeamKind.COMMANDO: "防汛、疫情防控、急难险重任务",
    TeamKind.SERVICE: "政策宣传、为民代办、结对帮扶",
}


def demo_build(ctx: DemoContext) -> None:
    w = county_people(ctx)
    rng = w.rng
    county = w.county
    today = w.today
    grids_of = w.grids_of
    members = w.members
    residents = w.residents
    active = w.active

    PointRule.objects.bulk_create(
        [PointRule(unit=county, source_kind=k, points=p) for k, p in DEFAULT_POINTS.items()]
    )

    # ---- teams and posts (一区一岗两队)
    teams: list[Team] = []
    for v in active:
        uids = members[v.pk]
        teams.append(
            Team(
                unit=v,
                name=f"{v.name}志愿服务队",
                kind=TeamKind.VOLUNTEER,
                leader_id=uids[0],
                description="助老、环境整治、政策宣传",
            )
        )
        kind = TeamKind.COMMANDO if rng.random() < 0.5 else TeamKind.SERVICE
        teams.append(
            Team(
                unit=v,
                name=f"{v.name}{TEAM_NAMES[kind]}",
                kind=kind,
                leader_id=uids[-1],
                description=TEAM_DUTIES[kind],
            )
        )
    Team.objects.bulk_create(teams, batch_size=1000)
    tm = []
    for t in teams:
        pool = (
            members[t.unit_id] + residents.get(t.unit_id, [])[:3]
            if t.kind == TeamKind.VOLUNTEER
            else members[t.unit_id]
        )
        for uid in dict.fromkeys([t.leader_id, *pool]):
            tm.append(
                TeamMember(
                    team=t, user_id=uid, joined_on=today - timedelta(days=rng.randint(30, 900))
                )
            )
    TeamMember.objects.bulk_create(tm, batch_size=2000)
    posts: list[ModelPost] = []
    for v in active:
        for uid in members[v.pk]:
            if rng.random() < 0.45:
                posts.append(
                    ModelPost(
                        unit=v,
                        holder_id=uid,
                        title=rng.choice(POSTS),
                        pledge="有事找党员，服务零距离",
                    )
                )
    ModelPost.objects.bulk_create(posts, batch_size=1000, ignore_conflicts=False)
    areas = [
        ResponsibilityArea(
            unit=p.unit, holder_id=p.holder_id, post=p, name=f"{p.unit.name}{i + 1}号责任区"
        )
        for i, p in enumerate(posts)
    ]
    ResponsibilityArea.objects.bulk_create(areas, batch_size=1000)
    through = ResponsibilityArea.grids.through
    through.objects.bulk_create(
        [
            through(responsibilityarea_id=a.pk, unit_id=rng.choice(grids_of[a.unit_id]))
            for a in areas
            if grids_of.get(a.unit_id)
        ],
        batch_size=2000,
    )
    ctx.log(
        f"队伍 {len(teams)} 支（队员 {len(tm)}），示范岗 {len(posts)} 个，责任区 {len(areas)} 个"
    )
