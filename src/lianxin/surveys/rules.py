"""Named permissions of 民意调查 and the object rules over (user, questionnaire): staff over the
owner unit manage it (the unit's own staff and the chain above it), its audience answers it."""

from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.rules import has_role
from lianxin.org.scoping import user_scope

MANAGE_ROLES = (Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER)
can_manage = has_role(*MANAGE_ROLES)


@rules.predicate
def covers_questionnaire(user, questionnaire) -> bool:
    """No object (menus, decorators), or the owner unit lies in the user's staff subtrees."""
    return questionnaire is None or user_scope(user).covers(questionnaire.unit)


@rules.predicate
def is_resident_like(user) -> bool:
    """Someone who takes part as a resident: a resident entry of their own, or a resident or
    party-member membership (who a questionnaire can reach)."""
    from lianxin.people.links import person_flags

    if not (user and user.is_authenticated):
        return False
    return (
        user_scope(user).has_role(Role.RESIDENT, Role.PARTY_MEMBER) or person_flags(user).has_person
    )


@rules.predicate
def may_answer(user, questionnaire) -> bool:
    """Without an object (the menu): someone a questionnaire can reach; with one: a member of
    its audience (``selectors.in_audience``; an event's attendee may also be staff)."""
    if questionnaire is None:
        return bool(is_resident_like(user))
    from lianxin.surveys.selectors import in_audience

    return in_audience(user=user, questionnaire=questionnaire)


manages_questionnaire = can_manage & covers_questionnaire
answers_questionnaire = may_answer

rules.add_perm("surveys.manage_questionnaire", manages_questionnaire)
rules.add_perm("surveys.answer_questionnaire", answers_questionnaire)
