from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("活动"), "activities:event_list", "activities.register", order=45),
    NavItem(_("队伍"), "activities:team_list", "activities.view_team", order=46),
    NavItem(_("培训"), "activities:programme_list", "activities.view_event", order=47),
    NavItem(_("积分"), "activities:ranking", "activities.view_points", order=48),
    NavItem(_("我的积分"), "activities:my_record", "activities.own_record", order=49),
    NavItem(_("党建品牌"), "activities:brand_list", "activities.view_brand", order=50),
    NavItem(_("合理化建议"), "activities:proposal_list", "activities.submit_proposal", order=51),
]
