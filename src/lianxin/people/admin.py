from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lianxin.core.masking import mask_id_number, mask_phone
from lianxin.people.models import Household, PartyMember, Person


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = ["name", "relation", "gender", "birth_date"]
    show_change_link = True


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["number", "address", "grid"]
    search_fields = ["number", "address"]
    list_filter = ["grid__kind"]
    autocomplete_fields = ["grid"]
    list_select_related = ["grid"]
    inlines = [PersonInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_id", "masked_phone", "unit", "household"]
    search_fields = ["name", "household__address"]
    list_filter = ["gender"]
    autocomplete_fields = ["unit", "household", "user"]
    list_select_related = ["unit", "household"]

    @admin.display(description=_("身份证号"))
    def masked_id(self, obj):
        return mask_id_number(obj.id_number)

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(PartyMember)
class PartyMemberAdmin(admin.ModelAdmin):
    list_display = ["person", "party_org", "joined_on", "post", "is_probationary"]
    search_fields = ["person__name", "party_org__name"]
    list_filter = ["is_probationary"]
    autocomplete_fields = ["person", "party_org"]
    list_select_related = ["person", "party_org"]
