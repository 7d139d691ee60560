from django.utils.translation import gettext_lazy as _

from lianxin.core.registry import NavItem

NAV_ITEMS = [
    NavItem(_("住户"), "people:household_list", "people.view_household", order=70),
    NavItem(_("人员"), "people:person_list", "people.view_person", order=71),
    NavItem(_("党员"), "people:party_member_list", "people.view_person", order=72),
]
