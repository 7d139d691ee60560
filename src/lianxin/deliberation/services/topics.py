"""Writes on 议题: raising one (resident, staff, from a request or a visit), 附议, closing.

Rules enforced here:
- A resident raises a topic in their own village (community), taken from their resident
  record; staff raise one in a unit of their subtree. The same form posted twice is one topic
  (a unique (raiser, submission key) backs it).
- A topic from a request or a visit links back to it and is made once per request/visit.
- 附议: only a resident of the topic's area (``rules.lives_in_topic_area``), once per person
  (a unique constraint), while the topic is still open or on an agenda; the count is kept on
  the topic under a row lock so concurrent supports never lose one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.deliberation.models import Topic, TopicSource, TopicStatus, TopicSupport
from lianxin.deliberation.services.common import clean_text, require, village_of
from lianxin.org.models import Unit
from lianxin.org.scoping import user_scope
from lianxin.people.models import Person

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.cases.models import Case
    from lianxin.visits.models import Visit

SUPPORTABLE = (TopicStatus.OPEN, TopicStatus.SCHEDULED)


def _create(*, actor: User, unit: Unit, source: str, title: str, content: str, **links) -> Topic:
    topic = Topic.objects.create(
        unit=unit,
        source=source,
        title=clean_text(title, _("议题"), 80),
        content=clean_text(content, _("议题内容"), 2000),
        raised_by=actor,
        **links,
    )
    return topic


@transaction.atomic
def topic_raise(
    *,
    actor: User,
    title: str,
    content: str,
    unit: Unit | None = None,
    submission_key: str = "",
    request: HttpRequest | None = None,
) -> Topic:
    """A resident raises a topic in their village (and supports it first); staff raise one in a
    unit of their subtree. Idempotent per ``submission_key``."""
    require(actor, "deliberation.raise_topic")
    key = (submission_key or "")[:36] or None
    if key:
        existing = Topic.objects.filter(raised_by=actor, submission_key=key).first()
        if existing is not None:
            return existing
    scope = user_scope(actor)
    if scope.is_staff:
        if unit is None:
            raise ValidationError({"unit": _("请选择议题所属单位。")})
        if not scope.covers(unit):
            raise PermissionDenied("deliberation.raise_topic")
        source = TopicSource.STAFF
    else:
        person = Person.objects.filter(user=actor).select_related("unit").first()
        if person is None:
            raise ValidationError(_("您的账号尚未关联住户信息，请联系社区代为提出。"))
        unit, source = village_of(person.unit), TopicSource.RESIDENT
    try:
        with transaction.atomic():
            topic = _create(
                actor=actor,
                unit=unit,
                source=source,
                title=title,
                content=content,
                submission_key=key,
            )
    except IntegrityError:
        existing = Topic.objects.filter(raised_by=actor, submission_key=key).first()
        if existing is None:
            raise
        return existing
    if source == TopicSource.RESIDENT:
        TopicSupport.objects.create(topic=topic, user=actor)
        Topic.objects.filter(pk=topic.pk).update(support_count=1)
        topic.support_count = 1
    audit_record(action=AuditAction.CREATE, actor=actor, target=topic, request=request)
    return topic


@transaction.atomic
def topic_from_case(*, actor: User, case: Case, request: HttpRequest | None = None) -> Topic:
    """A request that needs the residents' say (a shared road, a parking rule) becomes a topic
    of its village, linked back to the request; once per request."""
    if not user_scope(actor).covers(case.grid):
        raise PermissionDenied("deliberation.raise_topic")
    existing = Topic.objects.filter(case=case).first()
    if existing is not None:
        return existing
    topic = _create(
        actor=actor,
        unit=case.village or village_of(case.grid),
        source=TopicSource.CASE,
        title=case.title,
        content=case.description,
        case=case,
    )
    audit_record(
        action=AuditAction.CREATE, actor=actor, target=topic, reason="from case", request=request
    )
    return topic


@transaction.atomic
def topic_from_visit(
    *, actor: User, visit: Visit, title: str = "", request: HttpRequest | None = None
) -> Topic:
    """What a 走访 found that concerns many households becomes a topic of the visit's village,
    linked back to the visit; once per visit."""
    if not user_scope(actor).covers(visit.grid):
        raise PermissionDenied("deliberation.raise_topic")
    existing = Topic.objects.filter(visit=visit).first()
    if existing is not None:
        return existing
    notes = (visit.notes or "").strip() or _("走访中发现的问题")
    topic = _create(
        actor=actor,
        unit=village_of(visit.grid),
        source=TopicSource.VISIT,
        title=(title or notes)[:80],
        content=notes,
        visit=visit,
    )
    audit_record(
        action=AuditAction.CREATE, actor=actor, target=topic, reason="from visit", request=request
    )
    return topic


@transaction.atomic
def topic_support(*, actor: User, topic: Topic, request: HttpRequest | None = None) -> Topic:
    """附议: a resident of the topic's area, once, while the topic is open or scheduled."""
    topic = Topic.objects.select_for_update(of=("self",)).select_related("unit").get(pk=topic.pk)
    if not actor.has_perm("deliberation.support_topic", topic):
        raise PermissionDenied(_("只有本社区（村）的居民可以附议。"))
    if topic.status not in SUPPORTABLE:
        raise ValidationError(_("该议题已形成决议，不再征集附议。"))
    try:
        with transaction.atomic():
            TopicSupport.objects.create(topic=topic, user=actor)
    except IntegrityError as exc:
        raise ValidationError(_("您已经附议过了。")) from exc
    Topic.objects.filter(pk=topic.pk).update(support_count=F("support_count") + 1)
    topic.refresh_from_db(fields=["support_count"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=topic, reason="supported", request=request
    )
    return topic


@transaction.atomic
def topic_close(*, actor: User, topic: Topic, request: HttpRequest | None = None) -> Topic:
    """The convening staff close a topic (done, or not for a meeting after all)."""
    topic = Topic.objects.select_for_update(of=("self",)).select_related("unit").get(pk=topic.pk)
    require(actor, "deliberation.convene_meeting", topic)
    if topic.status == TopicStatus.CLOSED:
        raise ValidationError(_("该议题已办结。"))
    topic.status = TopicStatus.CLOSED
    topic.save(update_fields=["status", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=topic, reason="closed", request=request
    )
    return topic
