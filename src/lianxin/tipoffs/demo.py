"""Demo step: 举报 in every state against villages, towns and a department (after 督办, 93).

Its own seeded random stream. Filed through the service (encrypted, audited, the county
supervisor notified), handled by the county's 纪检监督 supervisor: some await receipt, some are
received or under investigation, the rest concluded 属实 / 部分属实 / 不属实 with feedback; one
named reporter, the rest anonymous. The follow-up codes are not kept (they exist only as keyed
hashes), so the demo prints none.
"""

from __future__ import annotations

import random
from datetime import timedelta

from lianxin.core.demo import DemoContext
from lianxin.org.models import TOWN_KINDS, VILLAGE_KINDS, Membership, Role, Unit, UnitKind
from lianxin.org.scoping import under_q
from lianxin.tipoffs import services
from lianxin.tipoffs.models import Conclusion, Tipoff

DEMO_ORDER = 94
SEED = 20261213
TEXTS = (
    "村干部在低保评定中优亲厚友，把不符合条件的亲属评为低保户。",
    "办理宅基地审批时，经办人员暗示要“意思意思”才给盖章。",
    "村集体土地流转收入去向不明，账目一直没有公开。",
    "工作人员上班时间长期不在岗，群众办事多次找不到人。",
    "危房改造补助被截留一部分，实际到手比公示金额少。",
    "公益性岗位安排了不在本村居住的人员，按月领取工资。",
)
PERSONS = ("某村主任", "某文书", "某站所工作人员", "", "某网格员", "")
FEEDBACK = {
    Conclusion.SUBSTANTIATED: "经查，反映问题属实，已对相关责任人立案审查，并督促整改。感谢您的监督。",
    Conclusion.PARTLY: "经查，反映问题部分属实，已对相关人员批评教育并责令整改，其余问题查无实据。",
    Conclusion.NOT_SUBSTANTIATED: "经调查核实，反映问题不属实。如有新的线索，欢迎继续反映。",
}
FATES = (
    "submitted",
    "submitted",
    "received",
    "investigating",
    "investigating",
    Conclusion.SUBSTANTIATED,
    Conclusion.PARTLY,
    Conclusion.NOT_SUBSTANTIATED,
    Conclusion.PARTLY,
)


def demo_build(ctx: DemoContext) -> None:
    county = ctx.county or Unit.objects.filter(kind=UnitKind.COUNTY).first()
    if county is None:
        return
    if Tipoff.objects.exists():
        ctx.log("举报：已存在，跳过")
        return
    sup = (
        Membership.objects.active()
        .filter(role=Role.SUPERVISOR, unit=county)
        .select_related("user")
        .first()
    )
    if sup is None:
        return
    rng = random.Random(SEED)
    units = list(
        Unit.objects.filter(
            under_q(county, ("",)),
            kind__in=[*VILLAGE_KINDS, *TOWN_KINDS, UnitKind.DEPARTMENT],
            is_active=True,
        ).order_by("path")
    )
    resident = Membership.objects.active().filter(role=Role.RESIDENT).select_related("user").first()
    for i, fate in enumerate(FATES):
        named = i == 3 and resident is not None
        tipoff, _code = services.tipoff_file(
            user=resident.user if named else None,
            unit=rng.choice(units),
            text=TEXTS[i % len(TEXTS)],
            reported_person=PERSONS[i % len(PERSONS)],
            contact="" if i % 3 else f"139{rng.randrange(10**8):08d}",
            anonymous=not named,
            form_token=f"demo-tipoff-{i}",
        )
        if fate != "submitted":
            services.tipoff_receive(actor=sup.user, tipoff=tipoff)
        if fate not in ("submitted", "received"):
            services.tipoff_investigate(actor=sup.user, tipoff=tipoff)
        if fate in Conclusion.values:
            services.tipoff_conclude(
                actor=sup.user,
                tipoff=tipoff,
                conclusion=fate,
                finding="经调取台账、走访群众和当事人谈话，情况已查清。",
                feedback=FEEDBACK[Conclusion(fate)],
            )
        filed = ctx.now - timedelta(days=3 * (len(FATES) - i), hours=rng.randrange(9))
        Tipoff.objects.filter(pk=tipoff.pk).update(created_at=filed)
    ctx.log(f"举报：{len(FATES)} 件（待受理、已受理、调查中、已办结）")
