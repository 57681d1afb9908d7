from django.contrib import admin

from dianjiao.lib.admin import ReadOnlyAdmin

from .models import InfoItem, InfoItemVersion

# Items change only through the services, which check and date every step; versions are never edited.


@admin.register(InfoItem)
class InfoItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "village", "category", "status", "sent_at", "sent_by", "published_at"]
    list_filter = ["status", "category", "township"]
    search_fields = ["title"]


@admin.register(InfoItemVersion)
class InfoItemVersionAdmin(ReadOnlyAdmin):
    list_display = ["item", "number", "title", "sent_at", "sent_by"]
    search_fields = ["title"]
