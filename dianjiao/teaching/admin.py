from django.contrib import admin

from dianjiao.lib.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Attendance, Guest, MonthlyFeedback, PracticeTask, ViewingSession


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ["member", "expected", "status", "excuse_reason", "makes_up_for"]
    fk_name = "session"


class GuestInline(ReadOnlyInline):
    model = Guest


class PracticeTaskInline(ReadOnlyInline):
    model = PracticeTask


@admin.register(ViewingSession)
class ViewingSessionAdmin(ReadOnlyAdmin):
    """Read-only: a session changes only through the services, which write the logbook."""

    list_display = ["held_at", "village", "point", "kind", "operator", "received_at"]
    list_filter = ["kind", "village__township", "village"]
    date_hierarchy = "held_at"
    list_select_related = ["village", "point", "operator"]
    inlines = [AttendanceInline, GuestInline, PracticeTaskInline]


@admin.register(MonthlyFeedback)
class MonthlyFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["village", "year", "month", "version", "sent_by", "sent_at"]
    list_filter = ["year", "month", "village"]
