from django.contrib import admin

from .models import Attendance, Guest, MonthlyFeedback, PracticeTask, ViewingSession


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttendanceInline(_ReadOnlyInline):
    model = Attendance
    fields = ["member", "expected", "status", "excuse_reason", "makes_up_for"]
    fk_name = "session"


class GuestInline(_ReadOnlyInline):
    model = Guest


class PracticeTaskInline(_ReadOnlyInline):
    model = PracticeTask


@admin.register(ViewingSession)
class ViewingSessionAdmin(admin.ModelAdmin):
    """Read-only: a session changes only through the services, which write the logbook."""

    list_display = ["held_at", "village", "point", "kind", "operator", "received_at"]
    list_filter = ["kind", "village__township", "village"]
    date_hierarchy = "held_at"
    list_select_related = ["village", "point", "operator"]
    inlines = [AttendanceInline, GuestInline, PracticeTaskInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MonthlyFeedback)
class MonthlyFeedbackAdmin(admin.ModelAdmin):
    list_display = ["village", "year", "month", "version", "sent_by", "sent_at"]
    list_filter = ["year", "month", "village"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
