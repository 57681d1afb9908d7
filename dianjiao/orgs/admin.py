from django.contrib import admin

from dianjiao.lib.admin import NoDeleteAdmin

from .models import County, Equipment, Township, ViewingPoint, Village


@admin.register(County)
class CountyAdmin(NoDeleteAdmin):
    list_display = ["name", "area_code"]


@admin.register(Township)
class TownshipAdmin(NoDeleteAdmin):
    list_display = ["name", "county", "station_name"]


@admin.register(Village)
class VillageAdmin(NoDeleteAdmin):
    list_display = ["name", "branch_name", "township", "is_pastoral", "sort_order"]
    list_filter = ["township", "is_pastoral"]
    search_fields = ["name", "branch_name"]


class EquipmentInline(admin.TabularInline):
    model = Equipment
    extra = 0
    can_delete = False


@admin.register(ViewingPoint)
class ViewingPointAdmin(NoDeleteAdmin):
    list_display = ["name", "village", "kind", "seasonal_place", "active"]
    list_filter = ["kind", "active", "township"]
    search_fields = ["name", "village__name", "address"]
    inlines = [EquipmentInline]


@admin.register(Equipment)
class EquipmentAdmin(NoDeleteAdmin):
    list_display = ["__str__", "point", "condition", "last_checked_on"]
    list_filter = ["condition", "kind", "township"]
