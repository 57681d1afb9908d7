from django.contrib import admin

from dianjiao.lib.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "model", "object_repr", "ip"]
    list_filter = ["action", "model"]
    search_fields = ["actor_label", "object_repr", "object_pk"]
    date_hierarchy = "at"
