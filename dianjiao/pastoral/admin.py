from django.contrib import admin

from .models import Campaign, PastoralPoint


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "starts_on", "ends_on", "target_hours"]
    list_filter = ["township"]


@admin.register(PastoralPoint)
class PastoralPointAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "river_area", "latitude", "longitude"]
    list_filter = ["river_area"]
