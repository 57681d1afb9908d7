from django.contrib import admin

from dianjiao.lib.admin import ReadOnlyAdmin

from .models import LateEntryException, LogbookEntry

# The logbook is append-only: entries are written by the services, which check the rules and
# extend the hash chain; the admin only reads.


@admin.register(LogbookEntry)
class LogbookEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "village",
        "seq",
        "kind",
        "title",
        "occurred_at",
        "received_at",
        "author_label",
        "late_exception",
    ]
    list_filter = ["kind", "township", "village"]
    search_fields = ["title", "author_label", "id"]
    list_select_related = ["village", "late_exception"]
    ordering = ["village_id", "-seq"]


@admin.register(LateEntryException)
class LateEntryExceptionAdmin(ReadOnlyAdmin):
    list_display = ["village", "day", "granted_by", "granted_at", "reason"]
    list_filter = ["township", "village"]
    list_select_related = ["village", "granted_by"]
