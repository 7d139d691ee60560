"""The county administrator keeps the request categories and their deadline rules (限时办结).

Until now only a superuser could change them in Django admin; this is the audited service
behind the "诉求分类与时限" screen. Every change is one transaction that locks the category
row, checks the version the form was filled from (an edit made from a stale page is refused,
not silently overwritten), writes, and appends one audit row with the values before and after.

A changed rule applies to requests dispatched from then on only: due times are stored on each
request when it is dispatched (``cases.services.common._assign_unit``) and never recomputed from the
rules, and provisional working-day due times are recounted from their own stored basis
(``Case.due_basis``), not from the rule. Categories are never deleted once a request uses them
(``Case.category`` protects them, and the 三率 rollups count by them): they are deactivated,
which hides them from intake while existing requests keep them. The parent of a category is
fixed at creation, because the rollups (``CaseStat``) are keyed by the top-level category.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases.models import Case, Category, DeadlineRule, DueUnit, Priority

if TYPE_CHECKING:
    from lianxin.accounts.models import User

MANAGE_PERM = "cases.manage_category"
# Sensible maxima: beyond these a number is a typing slip (a month of hours, three months of
# working days), and ``add_working_days`` walks day by day.
MAX_AMOUNT = {DueUnit.HOURS: 720, DueUnit.WORKDAYS: 60}
HOURS_PER_WORKDAY = 24  # the shortest a working day lasts, to compare 签收 with 办结 across units
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SORT_MAX = 32767
PRIORITIES = tuple(Priority.values)


class CategoryError(ValidationError):
    """A refused category or rule change; the message is for the user."""


@dataclass(frozen=True)
class RuleInput:
    """One priority's own rule: 签收 and 办结, each an amount in hours or working days."""

    accept_amount: int
    accept_unit: str
    resolve_amount: int
    resolve_unit: str

    def as_list(self) -> list:
        return [self.accept_amount, self.accept_unit, self.resolve_amount, self.resolve_unit]


def check_manager(actor: User | None) -> None:
    if actor is None or not actor.has_perm(MANAGE_PERM):
        raise PermissionDenied(MANAGE_PERM)


# --- snapshots and versions ------------------------------------------------------------------


def category_snapshot(category: Category) -> dict[str, Any]:
    return {
        "code": category.code,
        "name": category.name,
        "name_en": category.name_en,
        "parent": category.parent.code if category.parent_id else None,
        "default_priority": category.default_priority,
        "sort_order": category.sort_order,
        "is_active": category.is_active,
    }


def rules_snapshot(category: Category) -> dict[str, list | None]:
    """The category's own rules by priority (``None``: it has none and inherits)."""
    own = {
        r.priority: [r.accept_amount, r.accept_unit, r.resolve_amount, r.resolve_unit]
        for r in DeadlineRule.objects.filter(category=category)
    }
    return {p: own.get(p) for p in PRIORITIES}


def _digest(value: Any) -> str:
    raw = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def category_version(category: Category) -> str:
    """What the edit form was filled from: a change by anyone else changes it."""
    return _digest(category_snapshot(category))


def rules_version(category: Category) -> str:
    return _digest(rules_snapshot(category))


def _check_version(given: str | None, current: str, message: str) -> None:
    if given is not None and given != current:
        raise CategoryError(message, code="stale")


# --- validation -------------------------------------------------------------------------------


def clean_name(
    value: str, *, field: str = "name", max_length: int = 50, required: bool = True
) -> str:
    name = " ".join((value or "").split())
    if not name:
        if required:
            raise CategoryError({field: _("请填写分类名称。")})
        return ""
    if name.startswith(FORMULA_TRIGGERS):
        raise CategoryError({field: _("名称不能以 = + - @ 等公式符号开头。")})
    if len(name) > max_length:
        raise CategoryError({field: _("名称不能超过 %(n)s 个字。") % {"n": max_length}})
    return name


def _check_unique_name(name: str, parent: Category | None, exclude: int | None = None) -> None:
    siblings = Category.objects.filter(parent=parent, name=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude)
    if siblings.exists():
        raise CategoryError({"name": _("同一上级下已有名为“%(name)s”的分类。") % {"name": name}})


def _check_priority(value: str) -> str:
    if value not in PRIORITIES:
        raise CategoryError({"default_priority": _("请选择默认紧急程度。")})
    return value


def _check_sort(value: int) -> int:
    if not isinstance(value, int) or not 0 <= value <= SORT_MAX:
        raise CategoryError(
            {"sort_order": _("排序应为 0–%(max)s 之间的整数。") % {"max": SORT_MAX}}
        )
    return value


def _hours(amount: int, unit: str) -> int:
    return amount * HOURS_PER_WORKDAY if unit == DueUnit.WORKDAYS else amount


def clean_rule(priority: str, rule: RuleInput) -> RuleInput:
    """Positive whole amounts, at most ``MAX_AMOUNT`` of their unit, and 签收 not longer than
    办结 (the same unit compared directly; across units one working day counts 24 hours).
    Errors are keyed ``<priority>_<field>`` as the rules form names its fields."""
    label = Priority(priority).label
    errors: dict[str, list[str]] = {}
    for part, what in (("accept", _("签收时限")), ("resolve", _("办结时限"))):
        amount, unit = getattr(rule, f"{part}_amount"), getattr(rule, f"{part}_unit")
        if unit not in DueUnit.values:
            errors[f"{priority}_{part}_unit"] = [_("请选择“小时”或“工作日”。")]
            continue
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
            errors[f"{priority}_{part}_amount"] = [
                _("%(label)s的%(what)s应为正整数。") % {"label": label, "what": what}
            ]
        elif amount > MAX_AMOUNT[unit]:
            errors[f"{priority}_{part}_amount"] = [
                _("%(label)s的%(what)s不能超过 %(max)s %(unit)s。")
                % {
                    "label": label,
                    "what": what,
                    "max": MAX_AMOUNT[unit],
                    "unit": DueUnit(unit).label,
                }
            ]
    if errors:
        raise CategoryError(errors)
    if _hours(rule.accept_amount, rule.accept_unit) > _hours(
        rule.resolve_amount, rule.resolve_unit
    ):
        if rule.accept_unit == rule.resolve_unit:
            message = _("%(label)s的签收时限不能长于办结时限。") % {"label": label}
        else:
            message = _("%(label)s的签收时限不能长于办结时限（1 个工作日按 24 小时比较）。") % {
                "label": label
            }
        raise CategoryError({f"{priority}_accept_amount": [message]})
    return rule


def _code_taken(code: str) -> bool:
    return Category.objects.filter(code=code).exists()


def _lock(category: Category) -> Category:
    try:
        return (
            Category.objects.select_for_update(of=("self",))
            .select_related("parent")
            .get(pk=category.pk)
        )
    except Category.DoesNotExist:
        raise CategoryError(_("该分类已不存在，请刷新页面。"), code="gone") from None


def _audit(actor, row: Category, action: str, reason: str, before, after, request) -> None:
    extra: dict[str, Any] = {"after": after}
    if before is not None:
        extra = {"before": before, "after": after}
    audit_record(
        action=action,
        actor=actor,
        target=row,
        target_repr=f"{row.code} {row.name}",
        reason=reason,
        request=request,
        extra=extra,
    )


# --- the changes -----------------------------------------------------------------------------


@transaction.atomic
def category_create(
    *,
    actor: User,
    code: str,
    name: str,
    name_en: str = "",
    parent: Category | None = None,
    default_priority: str = Priority.NORMAL,
    sort_order: int = 0,
    request=None,
) -> Category:
    """A new category, top-level or under an active top-level one (the tree has two levels:
    the 三率 rollups count by top-level category). A new child inherits its parent's rules
    until it is given its own; a new top-level category uses the system defaults."""
    check_manager(actor)
    code = (code or "").strip().lower()
    if not CODE_RE.match(code):
        raise CategoryError(
            {"code": _("编码只能由小写字母、数字和连字符组成，以字母或数字开头，最多 40 个字符。")}
        )
    name = clean_name(name)
    name_en = clean_name(name_en, field="name_en", max_length=80, required=False)
    _check_priority(default_priority)
    _check_sort(sort_order)
    if parent is not None:
        parent = _lock(parent)
        if parent.parent_id is not None:
            raise CategoryError({"parent": _("只能在一级分类下新建子分类。")})
        if not parent.is_active:
            raise CategoryError({"parent": _("上级分类已停用，请先启用。")})
    if _code_taken(code):
        raise CategoryError({"code": _("编码“%(code)s”已被使用。") % {"code": code}})
    _check_unique_name(name, parent)
    try:
        with transaction.atomic():  # a simultaneous create of the same code loses here
            row = Category.objects.create(
                code=code,
                name=name,
                name_en=name_en,
                parent=parent,
                default_priority=default_priority,
                sort_order=sort_order,
            )
    except IntegrityError:
        raise CategoryError({"code": _("编码“%(code)s”已被使用。") % {"code": code}}) from None
    _audit(actor, row, AuditAction.CREATE, _("新建诉求分类"), None, category_snapshot(row), request)
    return row


@transaction.atomic
def category_update(
    *,
    actor: User,
    category: Category,
    name: str,
    name_en: str = "",
    default_priority: str,
    sort_order: int,
    version: str | None = None,
    request=None,
) -> Category:
    """Rename a category or change its default priority and order. Existing requests keep
    their category (the name shown is the new one); their due times do not change."""
    check_manager(actor)
    row = _lock(category)
    _check_version(
        version,
        category_version(row),
        _("该分类已被他人修改，请核对当前内容后重新保存。"),
    )
    name = clean_name(name)
    name_en = clean_name(name_en, field="name_en", max_length=80, required=False)
    _check_priority(default_priority)
    _check_sort(sort_order)
    _check_unique_name(name, row.parent, exclude=row.pk)
    before = category_snapshot(row)
    row.name, row.name_en = name, name_en
    row.default_priority, row.sort_order = default_priority, sort_order
    after = category_snapshot(row)
    if after == before:
        return row
    row.save()
    _audit(actor, row, AuditAction.UPDATE, _("修改诉求分类"), before, after, request)
    return row


@transaction.atomic
def category_set_active(*, actor: User, category: Category, active: bool, request=None) -> Category:
    """停用 hides a category from intake (existing requests keep it and are handled as before);
    启用 shows it again. A parent is deactivated after its active children, and a child is
    activated after its parent, so intake never offers a child of a hidden category."""
    check_manager(actor)
    row = _lock(category)
    if row.is_active == active:
        raise CategoryError(
            _("该分类已启用。") if active else _("该分类已停用。"), code="unchanged"
        )
    if not active and row.children.filter(is_active=True).exists():
        raise CategoryError(_("请先停用该分类下的子分类。"))
    if active and row.parent_id is not None and not row.parent.is_active:
        raise CategoryError(
            _("上级分类“%(name)s”已停用，请先启用上级分类。") % {"name": row.parent.name}
        )
    before = category_snapshot(row)
    row.is_active = active
    row.save(update_fields=["is_active", "updated_at"])
    reason = _("启用诉求分类") if active else _("停用诉求分类")
    _audit(actor, row, AuditAction.UPDATE, reason, before, category_snapshot(row), request)
    return row


@transaction.atomic
def category_delete(*, actor: User, category: Category, request=None) -> None:
    """Delete a category created by mistake: only one no request uses and without children.
    One in use is deactivated instead (its requests and statistics keep it)."""
    check_manager(actor)
    row = _lock(category)
    if Case.objects.filter(category=row).exists():
        raise CategoryError(_("已有诉求使用该分类，不能删除；如不再使用，请停用。"), code="in_use")
    if row.children.exists():
        raise CategoryError(_("该分类下还有子分类，不能删除。"), code="in_use")
    before = {**category_snapshot(row), "rules": rules_snapshot(row)}
    _audit(actor, row, AuditAction.DELETE, _("删除诉求分类"), before, None, request)
    row.delete()


@transaction.atomic
def deadline_rules_update(
    *,
    actor: User,
    category: Category,
    rules: dict[str, RuleInput | None],
    version: str | None = None,
    request=None,
) -> Category:
    """Set the category's own rule for each priority given (``None``: drop its own rule and
    inherit the parent's, or the system default). Applies to requests dispatched from now on;
    the due times of existing requests stay as stored."""
    check_manager(actor)
    row = _lock(category)
    _check_version(
        version,
        rules_version(row),
        _("该分类的时限规则已被他人修改，下方已显示当前规则，请核对后重新保存。"),
    )
    errors: dict[str, list[str]] = {}
    for priority, rule in rules.items():
        if priority not in PRIORITIES:
            raise CategoryError(_("未知的紧急程度。"))
        if rule is not None:
            try:
                clean_rule(priority, rule)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    errors.setdefault(key, []).extend(messages)
    if errors:
        raise CategoryError(errors)
    before = rules_snapshot(row)
    for priority, rule in rules.items():
        if rule is None:
            DeadlineRule.objects.filter(category=row, priority=priority).delete()
        else:
            DeadlineRule.objects.update_or_create(
                category=row,
                priority=priority,
                defaults={
                    "accept_amount": rule.accept_amount,
                    "accept_unit": rule.accept_unit,
                    "resolve_amount": rule.resolve_amount,
                    "resolve_unit": rule.resolve_unit,
                },
            )
    after = rules_snapshot(row)
    if after != before:
        row.save(update_fields=["updated_at"])
        _audit(actor, row, AuditAction.UPDATE, _("修改时限规则"), before, after, request)
    return row
