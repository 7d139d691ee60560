import rules

from lianxin.org.rules import is_authenticated, is_county_admin

rules.add_perm("notifications.view_notification", is_authenticated)
# Everyone chooses for themselves which notices reach them by e-mail or SMS (their own row).
rules.add_perm("notifications.change_preference", is_authenticated)
# The delivery log (who was sent what, where, with what result): the county admin, over the
# people of their subtree (selectors.delivery_log).
rules.add_perm("notifications.view_delivery", is_county_admin)
