from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("议事协商"), "deliberation:topic_list", "deliberation.view_topics", order=43),
    NavItem(_("议事会议"), "deliberation:meeting_list", "deliberation.convene_meeting", order=44),
    NavItem(_("决议落实"), "deliberation:action_list", "deliberation.track_action", order=45),
    NavItem(_("身边议事"), "deliberation:area_topics", "deliberation.view_area", order=43),
]
