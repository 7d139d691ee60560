"""Demo step: a year of residents' requests for 武山县 (about 27,000, as Qingyang handled).

Texts are realistic per category; each request sits in a grid at a point inside it; the
state and evaluation mix follows a working county (most closed and rated, some overdue,
escalated to 督办, reopened after 不满意). Rows are bulk-inserted with their timelines.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils.functional import Promise

from lianxin.cases import search
from lianxin.cases.deadlines import due_at, due_basis_set, rule_for
from lianxin.cases.models import (
    Case,
    CaseEvent,
    Category,
    Channel,
    EventKind,
    Rating,
    State,
)
from lianxin.cases.services import CODE_ALPHABET
from lianxin.core.demo import DemoContext
from lianxin.org.demo import demo_name
from lianxin.org.models import Membership, Role, Unit, UnitKind

DEMO_ORDER = 40
DEFAULT_COUNT = 27_000

# category code -> [(title, description)], with {place} filled from the location.
TEXTS: dict[str, list[tuple[str, str]]] = {
    "env-garbage": [
        ("垃圾清运不及时", "{place}垃圾点的垃圾已经堆了三四天没人清运，天热有异味，希望尽快处理。"),
        ("垃圾桶破损", "{place}路边的垃圾桶盖子坏了，野狗翻得到处都是。"),
        ("建筑垃圾乱倒", "有人晚上在{place}河边乱倒建筑垃圾，影响环境。"),
    ],
    "env-sewage": [
        ("下水道堵塞冒水", "{place}下水道堵了，污水漫到路面上，行人没法走。"),
        ("污水直排渭河支沟", "{place}附近有污水直接排进沟里，气味很大。"),
    ],
    "env-green": [
        ("绿化带杂草丛生", "{place}的绿化带很久没人修剪，杂草长得比人高。"),
        ("行道树枯枝隐患", "{place}路边的大树有枯枝，刮风时担心砸到人。"),
    ],
    "heat-cold": [
        ("供暖不热", "家住{place}，暖气片摸着是凉的，室温只有十二三度，老人孩子受不了。"),
        ("暖气漏水", "{place}楼道里的供暖管道漏水，地上结冰很滑。"),
        ("供暖费缴纳咨询", "想问一下{place}今年供暖费怎么交，可以在手机上交吗？"),
    ],
    "heat-property": [
        ("物业服务差", "{place}小区物业不打扫楼道，门禁坏了也不修。"),
        ("小区停车乱", "{place}小区里乱停车，消防通道被堵，物业不管。"),
    ],
    "heat-lift": [
        ("电梯经常停运", "{place}的电梯这个月已经坏了三次，楼上老人下不了楼。"),
    ],
    "dispute-neighbour": [
        ("邻里漏水纠纷", "楼上卫生间漏水到我家，协商多次不给修，请社区调解。"),
        ("宅基地边界纠纷", "{place}两户人家因为宅基地边界吵了好几次，请村里出面调解。"),
        ("噪音扰民", "{place}有人晚上十一点以后还在装修，影响休息。"),
    ],
    "dispute-family": [
        ("赡养老人矛盾", "{place}一位老人的几个子女互相推诿，不愿赡养，请帮忙调解。"),
    ],
    "dispute-wage": [
        ("农民工工资拖欠", "在{place}附近工地干活，老板拖欠三个月工资不给，请帮忙讨薪。"),
    ],
    "help-hardship": [
        ("困难家庭救助申请", "{place}有一户人家因病致贫，想了解低保怎么申请。"),
        ("临时救助", "家里突发火灾，房子烧坏了，希望得到临时救助。"),
    ],
    "help-elderly": [
        ("独居老人需要照顾", "{place}有位独居老人腿脚不便，希望网格员定期上门看看。"),
        ("老年食堂咨询", "想问{place}附近有没有老年助餐点，怎么报名。"),
    ],
    "help-disabled": [
        ("残疾证办理咨询", "孩子需要办理残疾证，请问在哪里办理、需要哪些材料。"),
    ],
    "infra-road": [
        ("道路坑洼积水", "{place}的村道坑坑洼洼，一下雨就积水，车辆和行人通行困难。"),
        ("桥面护栏损坏", "{place}小桥的护栏断了，孩子上学路过很危险。"),
    ],
    "infra-light": [
        ("路灯不亮", "{place}的路灯坏了一个多星期，晚上一片漆黑，出行不安全。"),
        ("路灯白天常亮", "{place}一排路灯白天也亮着，浪费电。"),
    ],
    "infra-water": [
        ("自来水停水", "{place}从昨天开始停水，没有提前通知，生活很不方便。"),
        ("水压太低", "{place}高层住户水压太低，做饭洗澡都成问题。"),
        ("线路老化停电", "{place}电线老化，经常跳闸停电。"),
    ],
    "business-open": [
        ("企业开办咨询", "想在{place}开一家农产品加工小作坊，营业执照和食品许可怎么办理？"),
    ],
    "business-project": [
        ("项目落地手续", "我们的蔬菜冷链项目准备在{place}落地，用地手续办了很久还没批下来。"),
    ],
    "other": [
        ("政策咨询", "想咨询一下今年的种粮补贴什么时候发放。"),
        ("流浪犬伤人隐患", "{place}附近有几条流浪狗，晚上追人，孩子不敢出门。"),
    ],
}
WEIGHTS = {  # relative frequency per category
    "env-garbage": 10,
    "env-sewage": 4,
    "env-green": 3,
    "heat-cold": 9,
    "heat-property": 6,
    "heat-lift": 2,
    "dispute-neighbour": 8,
    "dispute-family": 3,
    "dispute-wage": 3,
    "help-hardship": 5,
    "help-elderly": 5,
    "help-disabled": 2,
    "infra-road": 8,
    "infra-light": 7,
    "infra-water": 7,
    "business-open": 3,
    "business-project": 1,
    "other": 4,
}
RESOLUTIONS = {
    "env": ["已安排保洁人员清运完毕", "已疏通管道，恢复正常", "已组织修剪清理"],
    "heat": ["已联系供热公司排气调压，室温恢复到 20 度", "已督促物业整改", "已维修恢复运行"],
    "dispute": ["经社区调解，双方达成一致", "已组织双方协商并签订调解协议", "已转司法所跟进调解"],
    "help": ["已上门核实情况并协助提交申请", "已纳入网格员定期走访名单", "已协调送去救助物资"],
    "infra": ["已维修恢复正常", "已协调相关部门完成修复", "已更换损坏设施"],
    "business": ["已安排帮办代办专员全程协助办理", "已协调相关部门加快审批"],
    "other": ["已答复并解释相关政策", "已协调相关单位处理"],
}
COMMENTS = ["很及时，谢谢", "网格员态度很好", "问题解决了", "处理得挺快", "", "", ""]
BAD_COMMENTS = ["还是没修好", "拖了太久", "没人联系我"]


def _code(rng, used: set[str]) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(10))
        if code not in used:
            used.add(code)
            return code


def demo_build(ctx: DemoContext) -> None:
    rng = ctx.rng
    county = ctx.county
    # LIANXIN_DEMO_CASES sizes the step (e.g. a small demo for a quick look or CI).
    count = int(ctx.options.get("cases", os.environ.get("LIANXIN_DEMO_CASES", DEFAULT_COUNT)))
    grids = list(
        Unit.objects.filter(kind=UnitKind.GRID, path__startswith=county.path)
        .select_related("parent__parent")
        .order_by("code")
    )
    _demo_canned_replies()
    if not grids or count <= 0:
        return
    departments = list(Unit.objects.filter(kind=UnitKind.DEPARTMENT, path__startswith=county.path))
    staff: dict[int, list[tuple[int, str, str]]] = {}
    for unit_id, user_id, name, post, role in Membership.objects.filter(
        unit__path__startswith=county.path,
        role__in=[Role.GRID_WORKER, Role.VILLAGE_STAFF, Role.TOWN_STAFF, Role.DEPT_HANDLER],
    ).values_list("unit_id", "user_id", "user__display_name", "post", "role"):
        staff.setdefault(unit_id, []).append((user_id, name, post or Role(role).label))
    residents = list(
        Membership.objects.filter(
            unit__path__startswith=county.path, role=Role.RESIDENT
        ).values_list("user_id", "unit_id", "user__display_name", "user__phone")
    )
    categories = {c.code: c for c in Category.objects.all()}
    rules = {
        (c.pk, p): rule_for(c, p)
        for c in categories.values()
        for p in ("normal", "urgent", "critical")
    }
    codes_in_use: set[str] = set(Case.objects.values_list("code", flat=True))
    cat_codes = list(WEIGHTS)
    cat_weights = [WEIGHTS[c] for c in cat_codes]
    now = ctx.now
    cases: list[Case] = []
    plans: list[dict] = []

    def due(case: Case, start: datetime) -> None:
        a, au, r, ru = rules[(case.category_id, case.priority)]
        accept, resolve = due_at(start, a, au), due_at(start, r, ru)
        case.accept_due_at, case.resolve_due_at = accept.at, resolve.at
        due_basis_set(case, "accept", accept)  # 暂按工作日计算 when it reaches an unscheduled year
        due_basis_set(case, "resolve", resolve)

    for _i in range(count):
        grid = rng.choice(grids)
        village = grid.parent
        town = village.parent if village is not None else None
        cat = categories[rng.choices(cat_codes, cat_weights)[0]]
        title, desc = rng.choice(TEXTS[cat.code])
        place = f"{village.name}{rng.randint(1, 12)}组" if village else grid.name
        description = desc.format(place=place)
        # more requests in winter (heating) and recent months
        age_days = (
            min(364.0, rng.expovariate(1 / 150.0)) if rng.random() < 0.8 else rng.uniform(0, 364)
        )
        created = now - timedelta(days=age_days, minutes=rng.randint(0, 600))
        priority = (
            cat.default_priority
            if rng.random() < 0.85
            else rng.choice(["normal", "urgent", "critical"])
        )
        (x0, y0), (x1, y1) = grid.boundary["coordinates"][0][0], grid.boundary["coordinates"][0][2]
        reporter = rng.choice(residents) if residents and rng.random() < 0.3 else None
        channel = rng.choices([Channel.RESIDENT, Channel.STAFF, Channel.GRID], [55, 25, 20])[0]
        case = Case(
            code=_code(rng, codes_in_use),
            title=title,
            description=description,
            search_tokens=search.index_text(title, description),
            category=cat,
            priority=priority,
            channel=channel,
            reporter_id=reporter[0] if reporter else None,
            reporter_name=(reporter[2] if reporter else demo_name(rng)),
            reporter_phone=(
                reporter[3]
                if reporter and reporter[3]
                else f"1{rng.choice('35789')}{rng.randint(100000000, 999999999)}"
            ),
            grid=grid,
            town=town,
            village=village,
            address=place,
            lat=round(rng.uniform(y0, y1), 6),
            lng=round(rng.uniform(x0, x1), 6),
            created_at=created,
            dispatched_at=created,
            unit=grid,
            owner_unit=grid,
        )
        due(case, created)
        # the handling unit: mostly the grid, some the village, ~12% a department
        r = rng.random()
        target = (
            grid
            if r < 0.6
            else (village if r < 0.88 or not departments else rng.choice(departments))
        )
        handler = rng.choice(
            staff.get(target.pk) or staff.get(grid.pk) or staff.get(village.pk) or [(None, "", "")]
        )
        plan = {"target": target, "handler": handler}
        age = now - created
        # accept: fast for most, late for some
        accept_delay = timedelta(
            hours=rng.choice([0.3, 0.5, 1, 2, 3, 6, 12, 20])
            if rng.random() < 0.9
            else rng.choice([30, 48, 72])
        )
        resolve_delay = timedelta(
            hours=rng.uniform(4, 24 * 6) if rng.random() < 0.88 else rng.uniform(24 * 8, 24 * 20)
        )
        accepted_at = created + accept_delay
        resolved_at = accepted_at + resolve_delay
        if rng.random() < 0.02 and age > timedelta(days=2):
            plan["end"] = "rejected"
        elif rng.random() < 0.015 and age > timedelta(days=2):
            plan["end"] = "merged"
        elif accepted_at > now or handler[0] is None:
            plan["end"] = "submitted"
        elif resolved_at > now:
            plan["end"] = "in_progress"
        else:
            plan["end"] = "resolved"
        plan.update(accepted_at=accepted_at, resolved_at=resolved_at)
        cases.append(case)
        plans.append(plan)

    merge_target: dict[int, Case] = {}
    events: list[CaseEvent] = []
    merged: list[Case] = []
    for case, plan in zip(cases, plans, strict=True):
        target, (uid, uname, upost) = plan["target"], plan["handler"]
        ev = [
            CaseEvent(
                case=case,
                kind=EventKind.SUBMIT,
                to_unit=case.grid,
                to_state=State.SUBMITTED,
                note=Channel(case.channel).label,
                created_at=case.created_at,
            )
        ]
        end = plan["end"]
        if target.pk != case.grid_id and end != "submitted":
            t = case.created_at + timedelta(minutes=rng.randint(5, 90))
            kind = EventKind.TRANSFER if target.kind == UnitKind.DEPARTMENT else EventKind.ESCALATE
            case.unit = case.owner_unit = target
            ev.append(
                CaseEvent(
                    case=case,
                    kind=kind,
                    from_unit=case.grid,
                    to_unit=target,
                    to_state=State.SUBMITTED,
                    from_state=State.SUBMITTED,
                    note=rng.choice(["属部门职责", "需上级协调", "涉及多个单位"]),
                    created_at=t,
                )
            )
        if end == "rejected":
            case.state = State.REJECTED
            case.reject_reason = "该事项属司法程序，请通过诉讼途径解决"
            case.closed_at = case.created_at + timedelta(hours=5)
            ev.append(
                CaseEvent(
                    case=case,
                    kind=EventKind.REJECT,
                    note=case.reject_reason,
                    from_state=State.SUBMITTED,
                    to_state=State.REJECTED,
                    created_at=case.closed_at,
                    actor_name=uname,
                    actor_post=upost,
                )
            )
        elif end == "merged":
            other = merge_target.get(case.grid_id)
            if other is None:
                end = "submitted"
            else:
                case.state = State.MERGED
                case.merged_into = other
                case.closed_at = case.created_at + timedelta(hours=3)
                ev.append(
                    CaseEvent(
                        case=case,
                        kind=EventKind.MERGE,
                        from_state=State.SUBMITTED,
                        to_state=State.MERGED,
                        note=f"与诉求 {other.code} 重复，合并办理。",
                        created_at=case.closed_at,
                    )
                )
        if end in ("in_progress", "resolved"):
            acc = plan["accepted_at"]
            case.owner_user_id, case.owner_unit = uid, None
            case.handler_post = upost
            case.state = State.IN_PROGRESS
            case.accepted_at = case.first_accepted_at = acc
            case.accepted_on_time = acc <= case.accept_due_at
            ev.append(
                CaseEvent(
                    case=case,
                    kind=EventKind.ACCEPT,
                    actor_id=uid,
                    actor_name=uname,
                    actor_post=upost,
                    from_state=State.SUBMITTED,
                    to_state=State.ACCEPTED,
                    created_at=acc,
                )
            )
            if not case.accepted_on_time:
                case.accept_overdue_at = case.accept_due_at
        if end == "resolved":
            res = plan["resolved_at"]
            case.state = State.RESOLVED
            case.resolved_at = res
            case.resolved_on_time = res <= case.resolve_due_at
            case.handling_minutes = int((res - case.created_at).total_seconds() // 60)
            case.resolution = rng.choice(RESOLUTIONS[case.category.code.split("-")[0]])
            ev.append(
                CaseEvent(
                    case=case,
                    kind=EventKind.RESOLVE,
                    actor_id=uid,
                    actor_name=uname,
                    actor_post=upost,
                    from_state=State.IN_PROGRESS,
                    to_state=State.RESOLVED,
                    note=case.resolution,
                    created_at=res,
                )
            )
            if not case.resolved_on_time:
                case.resolve_overdue_at = case.resolve_due_at
                case.supervised_at = case.resolve_due_at
                case.supervising_unit = case.unit.parent or case.unit
            rated_at = res + timedelta(hours=rng.uniform(1, 100))
            if rated_at + timedelta(days=1) < ctx.now:
                roll = rng.random()
                if roll < 0.70:
                    rating = Rating.SATISFIED
                elif roll < 0.86:
                    rating = Rating.BASIC
                elif roll < 0.91:
                    rating = Rating.UNSATISFIED
                else:
                    rating = Rating.UNRATED
                if rating == Rating.UNRATED:
                    if res + timedelta(days=7) <= ctx.now:
                        case.state, case.rating, case.closed_at = (
                            State.CLOSED,
                            rating,
                            res + timedelta(days=7),
                        )
                        ev.append(
                            CaseEvent(
                                case=case,
                                kind=EventKind.CLOSE,
                                from_state=State.RESOLVED,
                                to_state=State.CLOSED,
                                note="7 日内未评价，自动关闭（未评价）。",
                                created_at=case.closed_at,
                            )
                        )
                elif rating == Rating.UNSATISFIED:
                    case.rating, case.rating_comment, case.rated_at = (
                        rating,
                        rng.choice(BAD_COMMENTS),
                        rated_at,
                    )
                    case.rated_unit, case.rated_handler_id = case.unit, uid  # who resolved it
                    ev.append(
                        CaseEvent(
                            case=case,
                            kind=EventKind.EVALUATE,
                            from_state=State.RESOLVED,
                            to_state=State.RESOLVED,
                            note=f"不满意 {case.rating_comment}",
                            created_at=rated_at,
                        )
                    )
                    above = case.unit.parent or case.unit
                    case.state, case.reopen_count = State.REOPENED, 1
                    case.owner_user_id, case.owner_unit, case.unit = None, above, above
                    case.resolved_at = case.resolved_on_time = None
                    case.dispatched_at = rated_at
                    due(case, rated_at)
                    ev.append(
                        CaseEvent(
                            case=case,
                            kind=EventKind.REOPEN,
                            to_unit=above,
                            from_state=State.RESOLVED,
                            to_state=State.REOPENED,
                            note="群众不满意，转上级复核",
                            created_at=rated_at,
                        )
                    )
                else:
                    case.state, case.rating, case.rated_at = State.CLOSED, rating, rated_at
                    case.rated_unit, case.rated_handler_id = case.unit, uid
                    case.rating_comment, case.closed_at = rng.choice(COMMENTS), rated_at
                    ev.append(
                        CaseEvent(
                            case=case,
                            kind=EventKind.EVALUATE,
                            from_state=State.RESOLVED,
                            to_state=State.CLOSED,
                            note=f"{Rating(rating).label} {case.rating_comment}".strip(),
                            created_at=rated_at,
                        )
                    )
        # open requests past a deadline: overdue, escalated as 督办 to the level above
        if case.state in (State.SUBMITTED, State.REOPENED) and case.accept_due_at < ctx.now:
            case.accept_overdue_at = case.accept_warned_at = case.accept_due_at
        if (
            case.state in (State.SUBMITTED, State.IN_PROGRESS, State.REOPENED)
            and case.resolve_due_at < ctx.now
        ):
            case.resolve_overdue_at = case.resolve_warned_at = case.resolve_due_at
        if case.state in (State.SUBMITTED, State.IN_PROGRESS, State.REOPENED) and (
            case.accept_overdue_at or case.resolve_overdue_at
        ):
            moment = case.accept_overdue_at or case.resolve_overdue_at
            case.supervised_at = moment
            case.supervising_unit = case.unit.parent or case.unit
            ev.append(
                CaseEvent(
                    case=case,
                    kind=EventKind.SUPERVISE,
                    to_unit=case.supervising_unit,
                    is_public=False,
                    note=f"超时，由{case.supervising_unit.name}督办。",
                    created_at=moment,
                )
            )
        events.extend(ev)
        if case.state == State.MERGED:
            merged.append(case)
        elif case.state in (State.SUBMITTED, State.IN_PROGRESS, State.RESOLVED):
            merge_target[case.grid_id] = case
    # Explicit ids so the timeline can point at its request without a round trip per batch.
    next_id = (Case.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    for i, c in enumerate(cases):
        c.id = next_id + i
        c.updated_at = now
    for c in merged:
        c.merged_into_id = c.merged_into.id
    next_event = (CaseEvent.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    for i, e in enumerate(events):
        e.id = next_event + i
        e.case_id = e.case.id
    _fast_insert(Case, cases)
    ctx.log(f"诉求：{len(cases)} 件（其中合并 {len(merged)} 件）")
    _fast_insert(CaseEvent, events)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Case, CaseEvent]):
            cursor.execute(sql)
    ctx.log(f"诉求办理记录：{len(events)} 条")
    from lianxin.cases.stats import stats_rebuild

    ctx.log(f"诉求统计汇总：{stats_rebuild()} 行")


# 常用语 for every category (the county administrator edits them under 诉求 → 常用语).
DEMO_CANNED = {
    "resolve": [
        "已到现场核实并处理完毕，问题已解决，感谢您的反映。",
        "已协调相关部门完成整改，后续将加强日常巡查。",
        "已与您电话沟通并说明处理情况，如仍有问题请再次反映。",
    ],
    "send_back": [
        "该事项不属于本单位职责范围，请重新派单。",
        "诉求地点与所在网格不符，请核实后重新派单。",
    ],
    "reject": [
        "该事项已进入司法程序，请通过法律途径解决。",
        "该诉求内容不明确且无法联系到反映人，暂不予受理。",
    ],
}


def _demo_canned_replies() -> None:
    from lianxin.cases.models import CannedReply

    if CannedReply.objects.exists():
        return
    CannedReply.objects.bulk_create(
        CannedReply(purpose=purpose, text=text, order=i)
        for purpose, texts in DEMO_CANNED.items()
        for i, text in enumerate(texts)
    )


def _fast_insert(model, objs, batch: int = 2000) -> None:
    """executemany over prepared rows: Django's bulk_create spends most of its time per value;
    the demo's rows are built in code (no user input), so they go in as they are."""
    fields = list(model._meta.concrete_fields)
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({cols}) VALUES ({marks})"  # noqa: S608 (identifiers from model meta, values bound)
    ops = connection.ops

    def adapter(f):  # datetimes and JSON (a provisional deadline's basis) as the backend wants them
        if isinstance(f, models.DateTimeField):
            return ops.adapt_datetimefield_value
        if isinstance(f, models.JSONField):
            return lambda v: ops.adapt_json_value(v, f.encoder)
        return None

    adapters = [adapter(f) for f in fields]
    rows = [
        [
            fix(v) if fix and v is not None else (str(v) if isinstance(v, Promise) else v)
            for v, fix in zip((getattr(o, f.attname) for f in fields), adapters, strict=True)
        ]
        for o in objs
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])
