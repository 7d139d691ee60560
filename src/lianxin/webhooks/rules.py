"""Named permissions of 回传推送 (outgoing webhooks).

* ``webhooks.view_webhook``: read subscriptions and their delivery log — a county administrator
  or a town's administrator (乡镇/街道干部), for subscriptions whose unit lies in their subtree
  (a town sees its own hand-offs, never another town's).
* ``webhooks.manage_webhook``: register, deactivate, replay — the county administrator only
  (registering a URL sends the county's request steps out of the platform), again in scope.

Asked without an object (menus, view decorators) the object half is true; services and
selectors ask with the object (a subscription, a delivery, or the unit a new one would live in).
"""

from __future__ import annotations

import rules

from lianxin.org.models import Unit
from lianxin.org.rules import is_county_admin, is_tree_admin
from lianxin.org.scoping import user_scope


def webhook_unit(obj) -> Unit | None:
    """The unit a webhook object is scoped by: a unit, a subscription's, a delivery's subscription's."""
    if isinstance(obj, Unit):
        return obj
    subscription = getattr(obj, "subscription", obj)
    return getattr(subscription, "unit", None)


@rules.predicate
def covers_webhook(user, obj) -> bool:
    """No object, or the object's unit (``webhook_unit``) lies in the user's staff subtrees."""
    return obj is None or user_scope(user).covers(webhook_unit(obj))


rules.add_perm("webhooks.view_webhook", is_tree_admin & covers_webhook)
rules.add_perm("webhooks.manage_webhook", is_county_admin & covers_webhook)
