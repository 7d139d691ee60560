"""Named permissions of 对接管理.

Rule (issue 14, bullet 1): integrations and their tokens are created, read and revoked by a
county admin, for units in their county (``covers_object`` on the integration's unit).
"""

from __future__ import annotations

import rules

from lianxin.org.rules import covers_object, is_county_admin

rules.add_perm("integrations.manage_integration", is_county_admin & covers_object)
