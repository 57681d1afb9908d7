from django.contrib import admin

from dianjiao.lib.admin import NoDeleteAdmin, ReadOnlyAdmin

from .models import (
    Announcement,
    Film,
    FilmCopy,
    FilmRequest,
    FilmRequestLine,
    Language,
    Loan,
    Theme,
)

# Requests and loans change only through the services, which check and date every step.


@admin.register(Theme)
class ThemeAdmin(NoDeleteAdmin):
    list_display = ["name", "sort_order", "active"]
    list_editable = ["sort_order", "active"]


@admin.register(Language)
class LanguageAdmin(NoDeleteAdmin):
    list_display = ["name", "sort_order"]
    list_editable = ["sort_order"]


@admin.register(Film)
class FilmAdmin(NoDeleteAdmin):
    list_display = [
        "title",
        "series",
        "township",
        "year",
        "duration_minutes",
        "is_key_film",
        "active",
    ]
    list_filter = ["township", "is_key_film", "active", "themes", "languages"]
    search_fields = ["title", "series", "producer"]
    filter_horizontal = ["themes", "languages"]


@admin.register(FilmCopy)
class FilmCopyAdmin(ReadOnlyAdmin):
    list_display = ["inventory_no", "film", "medium", "condition", "status"]
    list_filter = ["township", "status", "medium"]
    search_fields = ["inventory_no", "film__title"]
    list_select_related = ["film"]


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ["title", "period_start", "period_end", "published_at", "published_by"]
    list_filter = ["township"]


class LineInline(admin.TabularInline):
    model = FilmRequestLine
    extra = 0
    can_delete = False


@admin.register(FilmRequest)
class FilmRequestAdmin(ReadOnlyAdmin):
    list_display = ["village", "requested_at", "requested_by", "status", "decided_at"]
    list_filter = ["township", "status"]
    inlines = [LineInline]


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ["copy", "village", "dispatched_at", "due_on", "received_at", "returned_at"]
    list_filter = ["township", "village"]
    list_select_related = ["copy__film", "village"]
