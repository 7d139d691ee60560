from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("民意调查"), "surveys:list", "surveys.manage_questionnaire", order=53),
    NavItem(_("待填问卷"), "surveys:mine", "surveys.answer_questionnaire", order=54),
]
