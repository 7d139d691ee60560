"""Demo step 1: the county's real division codes, ~600 grids, departments and staff."""

from __future__ import annotations

import math
from collections import defaultdict
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from lianxin.core.demo import DemoContext
from lianxin.org.demo_tree import demo_tree_extras
from lianxin.org.models import VILLAGE_KINDS, Membership, Role, Unit, UnitKind
from lianxin.org.services import divisions_import, membership_bulk_grant, unit_path

DEMO_ORDER = 10

# 武山县 lies around 104.57–105.13°E, 34.56–34.93°N (渭河 valley); towns are laid out as
# cells over that box, villages as sub-cells, grids as slices of a village's cell.
BBOX = (104.57, 34.56, 105.13, 34.93)

DEPARTMENTS = [
    ("住建", "县住房和城乡建设局"),
    ("水务", "县水务局"),
    ("民政", "县民政局"),
    ("派出所", "县公安局城关派出所"),
    ("卫生院", "城关镇中心卫生院"),
    ("供热公司", "县城区供热公司"),
    ("自然资源", "县自然资源局"),
    ("市场监管", "县市场监督管理局"),
    ("人社", "县人力资源和社会保障局"),
    ("交通", "县交通运输局"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国军华平明志强伟芳秀英兰玉梅桂珍丽霞红燕敏静娟婷雪琳磊涛斌浩鹏飞宇杰博文辉刚勇毅峰岩海波亮超晨阳春秋冬雨欣怡佳慧娜倩颖琴彤瑞祥福寿安康德仁义礼智信忠孝"


def demo_name(rng) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.75 else "")
    return rng.choice(SURNAMES) + given


def _cells(
    n: int, box: tuple[float, float, float, float]
) -> list[tuple[float, float, float, float]]:
    """Split a box into n roughly square cells, row by row."""
    cols = max(1, math.ceil(math.sqrt(n)))
    rows = max(1, math.ceil(n / cols))
    x0, y0, x1, y1 = box
    w, h = (x1 - x0) / cols, (y1 - y0) / rows
    out = []
    for i in range(n):
        r, c = divmod(i, cols)
        out.append((x0 + c * w, y0 + r * h, x0 + (c + 1) * w, y0 + (r + 1) * h))
    return out


def _polygon(box) -> dict:
    x0, y0, x1, y1 = (round(v, 6) for v in box)
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def _child(parent: Unit, code: str, name: str, kind: str, **fields) -> Unit:
    return Unit(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        path=unit_path(parent, code),
        depth=parent.depth + 1,
        **fields,
    )


def _user(ctx: DemoContext, username: str, name: str, phone: str | None = None) -> Any:
    return get_user_model()(
        username=username,
        display_name=name,
        phone=phone,
        password=ctx.password_hash,
        password_changed_at=ctx.now,
    )


def demo_build(ctx: DemoContext) -> None:
    rng = ctx.rng
    divisions_import(county=ctx.county_code)
    county = Unit.objects.get(code=ctx.county_code.ljust(12, "0"))
    ctx.county = county
    towns = list(Unit.objects.filter(parent=county).order_by("code"))
    ctx.log(f"区划：{county.name} {len(towns)} 个乡镇")

    # Geometry: towns, villages (centre point) and grids (polygons).
    new_units: list[Unit] = []
    villages_all: list[Unit] = []
    for town, tbox in zip(towns, _cells(len(towns), BBOX), strict=True):
        town.lng, town.lat = (tbox[0] + tbox[2]) / 2, (tbox[1] + tbox[3]) / 2
        town.address = f"甘肃省天水市武山县{town.name}人民政府"
        villages = list(Unit.objects.filter(parent=town).order_by("code"))
        for village, vbox in zip(villages, _cells(len(villages), tbox), strict=True):
            village.lng, village.lat = (vbox[0] + vbox[2]) / 2, (vbox[1] + vbox[3]) / 2
            village.address = f"武山县{town.name}{village.name}党群服务中心"
            villages_all.append(village)
            n_grids = 3 if village.kind == UnitKind.COMMUNITY else rng.choice([1, 1, 1, 2, 2])
            # slice the village cell into vertical strips
            x0, y0, x1, y1 = vbox
            w = (x1 - x0) / n_grids
            for g in range(n_grids):
                gbox = (x0 + g * w, y0, x0 + (g + 1) * w, y1)
                grid = _child(
                    village,
                    f"{village.code}-G{g + 1:02d}",
                    f"{village.name}第{g + 1}网格",
                    UnitKind.GRID,
                    boundary=_polygon(gbox),
                    lng=(gbox[0] + gbox[2]) / 2,
                    lat=(gbox[1] + gbox[3]) / 2,
                )
                new_units.append(grid)
        Unit.objects.bulk_update(villages, ["lng", "lat", "address"], batch_size=500)
    Unit.objects.bulk_update(towns, ["lng", "lat", "address"])

    county.lng, county.lat = 104.89, 34.72
    county.address = "甘肃省天水市武山县城关镇"
    county.save(update_fields=["lng", "lat", "address", "updated_at"])

    departments = [
        _child(county, f"{county.code}-D{i + 1:02d}", name, UnitKind.DEPARTMENT)
        for i, (_short, name) in enumerate(DEPARTMENTS)
    ]
    county_party = _child(county, f"{county.code}-P00", "中共武山县委", UnitKind.PARTY_ORG)
    party_orgs = [
        _child(
            v,
            f"{v.code}-P01",
            f"{v.name}{'党委' if v.kind == UnitKind.COMMUNITY else '党支部'}",
            UnitKind.PARTY_ORG,
        )
        for v in villages_all
    ]
    Unit.objects.bulk_create([*new_units, *departments, county_party, *party_orgs], batch_size=1000)
    grids = list(
        Unit.objects.filter(kind=UnitKind.GRID, path__startswith=county.path).order_by("code")
    )
    ctx.log(f"网格 {len(grids)} 个，部门 {len(departments)} 个，党组织 {len(party_orgs) + 1} 个")
    extras = demo_tree_extras(county)
    ctx.log(
        f"微网格 {extras['micro_grids']} 个，物业项目 {extras['projects']} 个，"
        f"两新组织 {extras['liangxin']} 个，党建联合体成员 {extras['alliance_members']} 个"
    )

    # Staff: one account per level, named predictably so the demo log-ins are easy to type.
    users: list[Any] = []
    memberships: list[tuple[str, str, str, str]] = []  # username, unit code, role, post

    def staff(username: str, unit: Unit, role: str, post: str) -> None:
        users.append(_user(ctx, username, demo_name(rng)))
        memberships.append((username, unit.code, role, post))

    staff("county_admin", county, Role.COUNTY_ADMIN, "县委组织部干部")
    staff("supervisor", county, Role.SUPERVISOR, "县纪委监委干部")
    for town in towns:
        staff(f"town_{town.code[6:9]}", town, Role.TOWN_STAFF, "党建办主任")
    for village in villages_all:
        staff(f"village_{village.code[6:]}", village, Role.VILLAGE_STAFF, "党组织书记")
    for grid in grids:
        staff(f"grid_{grid.code[6:12]}_{grid.code[-2:]}", grid, Role.GRID_WORKER, "专职网格员")
    for i, dept in enumerate(departments):
        staff(f"dept_{i + 1:02d}", dept, Role.DEPT_HANDLER, "承办人")
    get_user_model().objects.bulk_create(users, batch_size=1000)
    by_name = dict(
        get_user_model()
        .objects.filter(username__in=[u.username for u in users])
        .values_list("username", "id")
    )
    unit_ids = dict(Unit.objects.filter(path__startswith=county.path).values_list("code", "id"))
    membership_bulk_grant(
        [
            Membership(user_id=by_name[u], unit_id=unit_ids[c], role=r, post=p)
            for u, c, r, p in memberships
        ]
    )
    if not get_user_model().objects.filter(username="admin").exists():
        get_user_model().objects.create(
            username="admin",
            display_name="系统管理员",
            password=ctx.password_hash,
            is_superuser=True,
            is_staff=True,
            password_changed_at=ctx.now,
        )
    ctx.log(f"干部账号 {len(users)} 个")


def demo_logins(county: Unit) -> list[tuple[str, str]]:
    """One account per role, looked up in the database so a second run prints them too."""
    found: list[tuple[str, str]] = (
        [("系统管理员", "admin")]
        if get_user_model().objects.filter(username="admin").exists()
        else []
    )
    labels = [
        (Role.COUNTY_ADMIN, "县级管理员"),
        (Role.SUPERVISOR, "纪检监督"),
        (Role.TOWN_STAFF, "乡镇干部"),
        (Role.VILLAGE_STAFF, "村社干部"),
        (Role.GRID_WORKER, "网格员"),
        (Role.DEPT_HANDLER, "部门承办人"),
        (Role.PARTY_MEMBER, "党员"),
        (Role.RESIDENT, "群众"),
    ]
    for role, label in labels:
        m = (
            Membership.objects.filter(role=role, unit__path__startswith=county.path)
            .select_related("user", "unit")
            .order_by("unit__path", "id")
            .first()
        )
        if m is not None:
            found.append((f"{label}（{m.unit.name}）", m.user.username))
    return found


def county_people(ctx: DemoContext) -> SimpleNamespace:
    """The demo county's villages, grids, clerks, town staff, county admin, party members and
    residents, as the events, volunteers and brands demo steps read them (no randomness: the steps' draws
    from ``ctx.rng`` stay in the order they always had)."""
    rng, now, county = ctx.rng, ctx.now, ctx.county
    tz = timezone.get_current_timezone()  # events start at local hours (Asia/Shanghai)
    today = timezone.localdate(now)  # the county's date: UTC's is a day behind until 08:00
    villages = list(
        Unit.objects.filter(kind__in=VILLAGE_KINDS, path__startswith=county.path).order_by("code")
    )
    vmap = {v.pk: v for v in villages}
    party_orgs = dict(
        Unit.objects.filter(kind=UnitKind.PARTY_ORG, parent_id__in=vmap.keys()).values_list(
            "parent_id", "id"
        )
    )
    grids_of: dict[int, list[int]] = defaultdict(list)
    for gid, vid in Unit.objects.filter(kind=UnitKind.GRID, parent_id__in=vmap.keys()).values_list(
        "id", "parent_id"
    ):
        grids_of[vid].append(gid)
    clerk_of = dict(
        Membership.objects.filter(role=Role.VILLAGE_STAFF, unit_id__in=vmap.keys()).values_list(
            "unit_id", "user_id"
        )
    )
    town_staff = dict(
        Membership.objects.filter(
            role=Role.TOWN_STAFF, unit__path__startswith=county.path
        ).values_list("unit_id", "user_id")
    )
    admin_id = (
        Membership.objects.filter(role=Role.COUNTY_ADMIN, unit=county)
        .values_list("user_id", flat=True)
        .first()
    )
    members: dict[int, list[int]] = defaultdict(list)  # village id -> party member user ids
    for uid, unit_id, parent_id in (
        Membership.objects.filter(role=Role.PARTY_MEMBER, unit__path__startswith=county.path)
        .values_list("user_id", "unit_id", "unit__parent_id")
        .order_by("id")
    ):
        vid = unit_id if unit_id in vmap else parent_id
        if vid in vmap:
            members[vid].append(uid)
    residents: dict[int, list[int]] = defaultdict(list)
    for uid, parent_id in (
        Membership.objects.filter(role=Role.RESIDENT, unit__path__startswith=county.path)
        .values_list("user_id", "unit__parent_id")
        .order_by("id")
    ):
        residents[parent_id].append(uid)
    active = [v for v in villages if members.get(v.pk)]
    home_of = {uid: vid for vid, uids in members.items() for uid in uids}
    return SimpleNamespace(
        rng=rng,
        now=now,
        county=county,
        tz=tz,
        today=today,
        villages=villages,
        vmap=vmap,
        party_orgs=party_orgs,
        grids_of=grids_of,
        clerk_of=clerk_of,
        town_staff=town_staff,
        admin_id=admin_id,
        members=members,
        residents=residents,
        active=active,
        home_of=home_of,
    )
