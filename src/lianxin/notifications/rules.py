import rules

from lianxin.org.rules import is_authenticated

rules.add_perm("notifications.view_notification", is_authenticated)
