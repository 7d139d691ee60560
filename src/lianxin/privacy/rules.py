"""Named permissions of 我的数据 and the object rule over (user, correction request)."""

from __future__ import annotations

import rules

from lianxin.org.rules import is_authenticated, is_clerk
from lianxin.org.scoping import user_scope


@rules.predicate
def covers_correction(user, correction) -> bool:
    """The correction's unit (the resident's own) lies in the user's staff scope."""
    return correction is not None and user_scope(user).covers(correction.unit)


# The clerk of the resident's unit: village/community, town or county staff over it.
handles_correction = is_clerk & covers_correction

rules.add_perm("privacy.view_own_data", is_authenticated)
rules.add_perm("privacy.request_correction", is_authenticated)
rules.add_perm("privacy.handle_correction", is_clerk)
