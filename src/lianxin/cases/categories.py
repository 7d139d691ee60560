"""The default category tree and deadline rules (限时办结), loaded by a data migration.

Each entry: code, name, default priority, rules per priority as
(accept amount, unit, resolve amount, unit). Children inherit their parent's rules.
"""

from __future__ import annotations

H, W = "hours", "workdays"

# (code, name, priority, {priority: (accept, unit, resolve, unit)}, children[(code, name, priority)])
DEFAULT_TREE = [
    (
        "env",
        "环境卫生",
        "normal",
        {"normal": (24, H, 3, W), "urgent": (4, H, 1, W), "critical": (1, H, 12, H)},
        [
            ("env-garbage", "垃圾清运", "normal"),
            ("env-sewage", "污水排放", "urgent"),
            ("env-green", "绿化养护", "normal"),
        ],
    ),
    (
        "heat",
        "物业供热",
        "urgent",
        {"normal": (12, H, 3, W), "urgent": (2, H, 24, H), "critical": (1, H, 8, H)},
        [
            ("heat-cold", "供暖不热", "urgent"),
            ("heat-property", "物业服务", "normal"),
            ("heat-lift", "电梯维修", "urgent"),
        ],
    ),
    (
        "dispute",
        "矛盾纠纷",
        "normal",
        {"normal": (24, H, 5, W), "urgent": (4, H, 2, W), "critical": (1, H, 24, H)},
        [
            ("dispute-neighbour", "邻里纠纷", "normal"),
            ("dispute-family", "家庭矛盾", "normal"),
            ("dispute-wage", "劳资纠纷", "urgent"),
        ],
    ),
    (
        "help",
        "关心帮扶",
        "normal",
        {"normal": (24, H, 5, W), "urgent": (4, H, 2, W), "critical": (2, H, 24, H)},
        [
            ("help-hardship", "困难救助", "normal"),
            ("help-elderly", "养老服务", "normal"),
            ("help-disabled", "残疾人帮扶", "normal"),
        ],
    ),
    (
        "infra",
        "基础设施",
        "normal",
        {"normal": (24, H, 10, W), "urgent": (4, H, 3, W), "critical": (1, H, 24, H)},
        [
            ("infra-road", "道路维修", "normal"),
            ("infra-light", "路灯照明", "normal"),
            ("infra-water", "供水供电", "urgent"),
        ],
    ),
    (
        "business",
        "企业服务",
        "normal",
        {"normal": (24, H, 5, W), "urgent": (8, H, 2, W), "critical": (2, H, 1, W)},
        [("business-open", "企业开办", "normal"), ("business-project", "项目落地", "normal")],
    ),
    (
        "other",
        "其他",
        "normal",
        {"normal": (24, H, 5, W), "urgent": (4, H, 2, W), "critical": (2, H, 24, H)},
        [],
    ),
]


def seed_categories(Category, DeadlineRule) -> int:
    """Create the default tree if missing (idempotent); takes model classes for migrations."""
    created = 0
    for order, (code, name, prio, rules, children) in enumerate(DEFAULT_TREE):
        parent, new = Category.objects.get_or_create(
            code=code, defaults={"name": name, "default_priority": prio, "sort_order": order * 10}
        )
        created += int(new)
        for p, (a, au, r, ru) in rules.items():
            DeadlineRule.objects.get_or_create(
                category=parent,
                priority=p,
                defaults={
                    "accept_amount": a,
                    "accept_unit": au,
                    "resolve_amount": r,
                    "resolve_unit": ru,
                },
            )
        for i, (ccode, cname, cprio) in enumerate(children):
            _, new = Category.objects.get_or_create(
                code=ccode,
                defaults={
                    "name": cname,
                    "default_priority": cprio,
                    "parent": parent,
                    "sort_order": order * 10 + i + 1,
                },
            )
            created += int(new)
    return created


# English names of the shipped tree (filled into ``name_en`` by migration 0009).
NAMES_EN = {
    "env": "Environment and sanitation",
    "env-garbage": "Rubbish collection",
    "env-sewage": "Sewage discharge",
    "env-green": "Green space upkeep",
    "heat": "Property management and heating",
    "heat-cold": "Heating not warm enough",
    "heat-property": "Property services",
    "heat-lift": "Lift repair",
    "dispute": "Disputes",
    "dispute-neighbour": "Neighbour disputes",
    "dispute-family": "Family conflicts",
    "dispute-wage": "Labour and wage disputes",
    "help": "Care and assistance",
    "help-hardship": "Hardship relief",
    "help-elderly": "Elderly care",
    "help-disabled": "Support for people with disabilities",
    "infra": "Infrastructure",
    "infra-road": "Road repair",
    "infra-light": "Street lighting",
    "infra-water": "Water and power supply",
    "business": "Business services",
    "business-open": "Starting a business",
    "business-project": "Project implementation",
    "other": "Other",
}
