from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("党建品牌"), "brands:brand_list", "brands.view_brand", order=50),
    NavItem(_("合理化建议"), "brands:proposal_list", "brands.submit_proposal", order=51),
]
