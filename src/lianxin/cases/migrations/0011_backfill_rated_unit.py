"""Backfill who a rating is charged to (``Case.rated_unit``/``rated_handler``) from the timeline.

Walking each rated request's events in order: the handling unit is the ``to_unit`` of the last
event that moved it (submit, dispatch, transfer, send back, escalate, reopen), the handler the
actor of the last 办结; an 评价 charges the rating to the resolution before it. Requests without
such events keep their current unit and handler. The rollup is then rebuilt so 满意率 follows.
"""

from django.db import migrations

RATED = ("satisfied", "basic", "unsatisfied")


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    ids = list(
        Case.objects.filter(rating__in=RATED, rated_unit__isnull=True).values_list("pk", flat=True)
    )
    if not ids:
        return
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        state: dict[int, dict] = {}
        events = (
            CaseEvent.objects.filter(case_id__in=chunk)
            .order_by("case_id", "created_at", "id")
            .values_list("case_id", "kind", "to_unit_id", "actor_id")
        )
        for case_id, kind, to_unit_id, actor_id in events.iterator():
            st = state.setdefault(case_id, {"unit": None, "resolved": None, "charged": None})
            if to_unit_id is not None and kind in (
                "submit",
                "dispatch",
                "transfer",
                "send_back",
                "escalate",
                "reopen",
            ):
                st["unit"] = to_unit_id
            elif kind == "resolve":
                st["resolved"] = (st["unit"], actor_id)
            elif kind == "evaluate" and st["resolved"] is not None:
                st["charged"] = st["resolved"]
        cases = list(Case.objects.filter(pk__in=chunk).only("pk", "unit_id", "owner_user_id"))
        for case in cases:
            unit_id, handler_id = (state.get(case.pk) or {}).get("charged") or (None, None)
            case.rated_unit_id = unit_id or case.unit_id
            case.rated_handler_id = handler_id if unit_id else case.owner_user_id
        Case.objects.bulk_update(cases, ["rated_unit", "rated_handler"])
    # The rollup's rated/satisfied counters move to these keys (the live code, which reads only
    # the columns it names; a fresh database has no requests and skips this).
    from lianxin.cases.stats import stats_rebuild

    stats_rebuild()


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_rating_charged_to_resolver")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
