"""Data only: requests already stored with a due time counted into a year without an official
节假日安排 (before 0006 such due times were counted Monday–Friday silently) are marked
暂按工作日计算, so the worker counts them again once that year is confirmed.

A due time is marked only when it can be proven to be such a count: its rule (the category's or
an ancestor's, else the default) is in working days and counting that many working days from
its start (accept: the dispatch time; completion: the submission time) with the calendar as it
stands gives exactly the stored due time. Anything else (reopened requests, approved
extensions, rules changed since) is left as it is. Reversing clears the marks.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import migrations

TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_RULES = {  # as in cases.deadlines.DEFAULT_RULES when this migration was written
    "normal": (24, "hours", 5, "workdays"),
    "urgent": (4, "hours", 2, "workdays"),
    "critical": (1, "hours", 24, "hours"),
}
OPEN = ("submitted", "accepted", "in_progress", "reopened", "resolved")


def _calendar(CalendarYear, CalendarDay):  # noqa: N803
    complete = set(CalendarYear.objects.filter(is_complete=True).values_list("year", flat=True))
    kinds = dict(CalendarDay.objects.values_list("date", "kind"))

    def is_workday(day):
        kind = kinds.get(day)
        if kind == "holiday":
            return False
        if kind == "workday":
            return True
        return day.weekday() < 5

    def count(start, days):
        current, counted, provisional = start, 0, False
        while counted < days:
            current += timedelta(days=1)
            provisional = provisional or current.year not in complete
            if is_workday(current.date()):
                counted += 1
        return current, provisional

    return complete, count


def _rule(DeadlineRule, Category, category_id, priority):  # noqa: N803
    node, seen = category_id, 0
    while node is not None and seen < 10:
        rule = DeadlineRule.objects.filter(category_id=node, priority=priority).first()
        if rule is not None:
            return rule.accept_amount, rule.accept_unit, rule.resolve_amount, rule.resolve_unit
        node = Category.objects.filter(pk=node).values_list("parent_id", flat=True).first()
        seen += 1
    return DEFAULT_RULES.get(priority, DEFAULT_RULES["normal"])


def mark(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    complete, count = _calendar(
        apps.get_model("workdays", "CalendarYear"), apps.get_model("workdays", "CalendarDay")
    )
    if not complete:
        return
    horizon = datetime(max(complete) + 1, 1, 1, tzinfo=TZ)
    DeadlineRule, Category = apps.get_model("cases", "DeadlineRule"), apps.get_model("cases", "Category")
    rows = (
        Case.objects.filter(state__in=OPEN, due_provisional=False)
        .filter(resolve_due_at__gte=horizon)
        | Case.objects.filter(state__in=OPEN, due_provisional=False, accept_due_at__gte=horizon)
    )
    for case in rows.distinct().iterator():
        a_amount, a_unit, r_amount, r_unit = _rule(DeadlineRule, Category, case.category_id, case.priority)
        basis = {}
        checks = [
            ("accept", a_amount, a_unit, case.dispatched_at, case.accept_due_at),
            (
                "resolve", r_amount, r_unit,
                case.created_at if case.reopen_count == 0 and case.extension_state != "approved" else None,
                case.resolve_due_at,
            ),
        ]
        for key, amount, unit, start, due in checks:
            if unit != "workdays" or start is None or due is None:
                continue
            local = start.astimezone(TZ)
            at, provisional = count(local, amount)
            if provisional and at == due:
                basis[key] = {"from": local.isoformat(), "days": amount}
        if basis:
            Case.objects.filter(pk=case.pk).update(due_provisional=True, due_basis=basis)


def unmark(apps, schema_editor):
    apps.get_model("cases", "Case").objects.filter(due_provisional=True).update(
        due_provisional=False, due_basis=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_due_provisional"),
        ("workdays", "0002_seed_from_packages"),
    ]

    operations = [migrations.RunPython(mark, unmark)]
