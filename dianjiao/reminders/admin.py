from django.contrib import admin

from .models import Digest, ReminderProfile


@admin.register(ReminderProfile)
class ReminderProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "by_email", "by_sms", "by_wecom", "language"]
    search_fields = ["user__username", "user__full_name"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["day", "user", "channel", "status", "items", "attempts", "sent_at"]
    list_filter = ["channel", "status", "day"]
    readonly_fields = [f.name for f in Digest._meta.fields]
