import rules

from lianxin.org.rules import is_county_admin, is_supervisor

rules.add_perm("audit.view_auditevent", is_county_admin | is_supervisor)
