"""Reads of 我的数据: everything the platform holds about the requesting user, their own rows
only, and the correction requests a clerk may see (scoped through ``org.scoping``).

Every section is built here as plain text already masked (``core.masking``), so the page, the
JSON file and the .xlsx file show exactly the same thing and no full phone or ID number leaves
the server, even to its owner (the page may be read over a shoulder; the file may be forwarded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.cases.selectors import resident_cases
from lianxin.core.masking import mask_id_number, mask_login, mask_phone
from lianxin.events.models import Registration
from lianxin.org.models import Unit
from lianxin.org.scoping import home_units, scope_queryset
from lianxin.people.models import Person
from lianxin.privacy.models import CorrectionRequest, CorrectionState
from lianxin.rooms.selectors import booking_list_mine
from lianxin.visits.models import Visit
from lianxin.volunteers.models import ServiceRecord
from lianxin.volunteers.selectors import my_point_totals
from lianxin.wishes.selectors import wish_mine

if TYPE_CHECKING:
    from lianxin.accounts.models import User

SECTION_LIMIT = 500  # a resident's rows of one kind; far above what one person accumulates


@dataclass
class Section:
    key: str
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "rows": [dict(zip(self.headers, row, strict=True)) for row in self.rows],
        }


def _text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def own_person(*, user: User) -> Person | None:
    """The person record linked to the user's account (``Person.user``), if any."""
    return (
        Person.objects.filter(user=user)
        .select_related("household", "household__grid", "unit")
        .first()
    )


def own_unit(*, user: User) -> Unit | None:
    """The unit whose clerks handle the user's corrections: their person record's unit, else the
    home area of their first membership."""
    person = own_person(user=user)
    if person is not None:
        return person.unit
    units = home_units(user)
    return units[0] if units else None


def _account(user: User) -> Section:
    return Section(
        "account",
        _("账号"),
        [_("姓名"), _("登录名"), _("手机号"), _("注册时间")],
        [
            [
                _text(user.display_name),
                mask_login(user.username),
                mask_phone(user.phone),
                _text(user.date_joined),
            ]
        ],
    )


def _person(person: Person | None) -> Section:
    section = Section(
        "person",
        _("人员信息"),
        [
            _("姓名"),
            _("性别"),
            _("出生日期"),
            _("身份证号"),
            _("手机号"),
            _("与户主关系"),
            _("所属单元"),
        ],
    )
    if person is not None:
        section.rows.append(
            [
                person.name,
                person.get_gender_display() if person.gender else "",
                _text(person.birth_date),
                mask_id_number(person.id_number),
                mask_phone(person.phone),
                person.relation,
                person.unit.name,
            ]
        )
    return section


def _household(person: Person | None) -> Section:
    section = Section("household", _("户信息"), [_("户号"), _("住址"), _("网格"), _("标签")])
    household = person.household if person is not None else None
    if household is not None:
        section.rows.append(
            [
                household.number,
                household.address,
                household.grid.name,
                "、".join(household.tags or []),
            ]
        )
    return section


def _cases(user: User) -> Section:
    section = Section(
        "cases",
        _("我的诉求"),
        [
            _("查询码"),
            _("标题"),
            _("状态"),
            _("联系人"),
            _("联系电话"),
            _("提交时间"),
            _("关闭时间"),
        ],
    )
    for case in resident_cases(user=user).order_by("-created_at", "-id")[:SECTION_LIMIT]:
        section.rows.append(
            [
                case.code,
                case.title,
                case.get_state_display(),
                case.reporter_name if case.reporter_id == user.pk else "",
                mask_phone(case.reporter_phone) if case.reporter_id == user.pk else "",
                _text(case.created_at),
                _text(case.closed_at),
            ]
        )
    return section


def _wishes(user: User) -> Section:
    section = Section("wishes", _("我的心愿"), [_("心愿"), _("类别"), _("状态"), _("提交时间")])
    for wish in wish_mine(user=user)[:SECTION_LIMIT]:
        section.rows.append(
            [
                wish.title,
                wish.get_category_display(),
                wish.get_status_display(),
                _text(wish.created_at),
            ]
        )
    return section


def _bookings(user: User) -> Section:
    section = Section(
        "bookings",
        _("功能室预约"),
        [_("功能室"), _("团体/活动名称"), _("用途"), _("开始时间"), _("结束时间"), _("状态")],
    )
    for booking in booking_list_mine(user=user)[:SECTION_LIMIT]:
        section.rows.append(
            [
                str(booking.room.name),
                booking.group_name,
                booking.purpose,
                _text(booking.starts_at),
                _text(booking.ends_at),
                booking.get_status_display(),
            ]
        )
    return section


def _registrations(user: User, person: Person | None) -> Section:
    section = Section(
        "registrations", _("活动报名"), [_("活动"), _("开始时间"), _("状态"), _("签到时间")]
    )
    mine = Q(user=user) | (Q(person=person) if person is not None else Q(pk__in=[]))
    qs = (
        Registration.objects.filter(mine)
        .select_related("event")
        .order_by("-event__starts_at", "-id")[:SECTION_LIMIT]
    )
    for reg in qs:
        section.rows.append(
            [
                reg.event.title,
                _text(reg.event.starts_at),
                reg.get_status_display(),
                _text(reg.checked_in_at),
            ]
        )
    return section


def _points(user: User) -> Section:
    totals = my_point_totals(user=user)
    section = Section(
        "points",
        _("志愿时长与积分"),
        [_("事项"), _("来源"), _("日期"), _("时长（小时）"), _("积分"), _("状态")],
    )
    qs = ServiceRecord.objects.filter(user=user).order_by("-occurred_on", "-id")[:SECTION_LIMIT]
    for rec in qs:
        section.rows.append(
            [
                rec.title,
                rec.get_source_kind_display(),
                _text(rec.occurred_on),
                _text(rec.hours),
                _text(rec.points),
                rec.get_status_display(),
            ]
        )
    section.rows.append(
        [_("已确认合计"), "", "", _text(totals.get("h") or 0), _text(totals.get("p") or 0), ""]
    )
    return section


def _visits(person: Person | None) -> Section:
    section = Section("visits", _("入户走访"), [_("走访时间"), _("走访类型")])
    if person is not None and person.household_id:
        qs = Visit.objects.filter(household_id=person.household_id).order_by("-visited_at")[
            :SECTION_LIMIT
        ]
        section.rows.extend([_text(v.visited_at), v.get_kind_display()] for v in qs)
    return section


def _corrections(user: User) -> Section:
    section = Section(
        "corrections",
        _("更正申请"),
        [
            _("提交时间"),
            _("信息类别"),
            _("记录（编号或名称）"),
            _("哪里不对"),
            _("状态"),
            _("处理说明"),
        ],
    )
    for c in correction_list_mine(user=user)[:SECTION_LIMIT]:
        section.rows.append(
            [
                _text(c.created_at),
                c.get_kind_display(),
                c.record_ref,
                c.problem,
                c.get_state_display(),
                c.response,
            ]
        )
    return section


def my_data(*, user: User) -> list[Section]:
    """Every kind of personal data the platform holds about ``user``: their own rows only."""
    person = own_person(user=user)
    return [
        _account(user),
        _person(person),
        _household(person),
        _cases(user),
        _wishes(user),
        _bookings(user),
        _registrations(user, person),
        _points(user),
        _visits(person),
        _corrections(user),
    ]


def correction_list_mine(*, user: User) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(resident=user).order_by("-created_at", "-id")


def correction_list(*, user: User, state: str = "") -> QuerySet[CorrectionRequest]:
    """The correction requests of residents in the clerk's scope, open ones first."""
    qs = scope_queryset(CorrectionRequest.objects.all(), user)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("unit", "resident").order_by("-created_at", "-id")


def correction_pending_count(*, user: User) -> int:
    return correction_list(user=user, state=CorrectionState.PENDING).count()


def correction_get(*, user: User, pk: int) -> CorrectionRequest:
    """One request in the clerk's scope; out of scope is a 404 (as if it did not exist)."""
    found = correction_list(user=user).select_related("person").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
