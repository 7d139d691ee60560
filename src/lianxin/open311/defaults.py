"""The shipped GeoReport attributes of a few default categories (loaded by a data migration).

Each entry: attribute code, question, datatype, required, list values (key, name), hint.
A deployment edits them in the admin (``ServiceAttribute``); a category with none is announced
with ``metadata: false`` and needs no definition call.
"""

from __future__ import annotations

from typing import Any

DEFAULT_ATTRIBUTES: dict[str, list[tuple[str, str, str, bool, list[tuple[str, str]], str]]] = {
    "infra-light": [
        (
            "fault",
            "故障情况",
            "singlevaluelist",
            True,
            [("dark", "不亮"), ("flicker", "闪烁"), ("day", "白天常亮"), ("pole", "灯杆损坏")],
            "",
        ),
        ("pole", "灯杆编号", "string", False, [], "灯杆上喷涂的编号，如 WS-0123"),
    ],
    "heat-cold": [
        ("temperature", "室内温度（摄氏度）", "number", False, [], "如 16"),
        (
            "heating",
            "供暖方式",
            "singlevaluelist",
            True,
            [("central", "集中供暖"), ("self", "自采暖")],
            "",
        ),
    ],
    "env-garbage": [
        (
            "kind",
            "垃圾类型",
            "multivaluelist",
            False,
            [("household", "生活垃圾"), ("construction", "建筑垃圾"), ("bulky", "大件垃圾")],
            "",
        ),
    ],
}


def seed_attributes(category_model: Any, attribute_model: Any) -> int:
    """Create the shipped attributes that are missing (models passed in: the migration's or the
    app's); returns how many were created. Categories that do not exist are skipped."""
    created = 0
    for code, attrs in DEFAULT_ATTRIBUTES.items():
        category = category_model.objects.filter(code=code).first()
        if category is None:
            continue
        for order, (key, question, datatype, required, values, hint) in enumerate(attrs, 1):
            _obj, made = attribute_model.objects.get_or_create(
                category=category,
                code=key,
                defaults={
                    "description": question,
                    "datatype": datatype,
                    "required": required,
                    "order": order,
                    "values": [{"key": k, "name": n} for k, n in values],
                    "datatype_description": hint,
                },
            )
            created += made
    return created


def unseed_attributes(attribute_model: Any) -> None:
    for code, attrs in DEFAULT_ATTRIBUTES.items():
        attribute_model.objects.filter(category__code=code, code__in=[a[0] for a in attrs]).delete()
