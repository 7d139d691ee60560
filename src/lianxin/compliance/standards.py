"""The standard set of plaques, marks and wall rules, and the standard inspection checklist.

Loaded by venues migration 0004 (a frozen copy) and re-ensured by the demo, so a flushed test database
or an older install gets them too. Running it twice changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

STANDARDS = [
    ("plaque-party", "村（社区）党组织", "plaque"),
    ("plaque-committee", "村（居）民委员会", "plaque"),
    ("plaque-collective", "村集体经济组织", "plaque"),
    ("plaque-supervision", "村务监督委员会", "plaque"),
    ("mark-service-center", "党群服务中心标识", "mark"),
    ("mark-civilization", "新时代文明实践站标识", "mark"),
    ("rule-party-duties", "村党组织工作职责", "rule"),
    ("rule-four-two", "“四议两公开”工作法", "rule"),
    ("rule-openness", "村务公开制度", "rule"),
    ("rule-duty", "村（社区）干部坐班值班制度", "rule"),
]

# English names of the shipped set (``name_en``, filled by migration 0006 and by ensure_standard_sets).
STANDARDS_EN = {
    "plaque-party": "Village (community) Party organisation",
    "plaque-committee": "Villagers' (residents') committee",
    "plaque-collective": "Village collective economic organisation",
    "plaque-supervision": "Village affairs supervision committee",
    "mark-service-center": "Party and public service centre sign",
    "mark-civilization": "New-era civilisation practice station sign",
    "rule-party-duties": "Duties of the village Party organisation",
    "rule-four-two": '"Four deliberations, two disclosures" method',
    "rule-openness": "Village affairs disclosure rules",
    "rule-duty": "Village (community) cadres' office-hours and duty rules",
}

CHECKLIST_NAME = "村（社）党群服务中心实地指导标准清单"
CHECKLIST = [
    ("环境卫生", "室内外整洁，无杂物堆放", 10),
    ("环境卫生", "卫生间干净、有人管理", 10),
    ("阵地标识", "标准牌子和标识规范悬挂，无多挂乱挂", 15),
    ("氛围营造", "党建氛围和宣传栏内容更新及时", 10),
    ("功能室使用", "功能室按计划开放，有使用记录", 15),
    ("功能室使用", "办公用房压减到位，服务区域充足", 10),
    ("制度落实", "坐班值班制度落实，值班表公示", 15),
    ("制度落实", "上墙制度规范、内容准确", 15),
]


def ensure_standard_sets():
    from lianxin.compliance.models import Checklist, ChecklistItem, SignageStandard

    for i, (code, name, kind) in enumerate(STANDARDS):
        standard, _ = SignageStandard.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": STANDARDS_EN.get(code, ""),
                "kind": kind,
                "order": i,
            },
        )
        if not standard.name_en and code in STANDARDS_EN:
            SignageStandard.objects.filter(pk=standard.pk).update(name_en=STANDARDS_EN[code])
    checklist, created = Checklist.objects.get_or_create(
        name=CHECKLIST_NAME, defaults={"pass_ratio": Decimal("0.60")}
    )
    if created:
        ChecklistItem.objects.bulk_create(
            [
                ChecklistItem(checklist=checklist, category=c, text=t, max_score=m, order=i)
                for i, (c, t, m) in enumerate(CHECKLIST)
            ]
        )
    return checklist
