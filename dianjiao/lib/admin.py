"""Admin bases for records that are retired, never deleted, and for append-only records."""

from django.contrib import admin


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False  # records are retired (active, status, condition), never deleted


class ReadOnlyAdmin(NoDeleteAdmin):
    """Append-only records (logbook, audit, sessions): written by their services, only read here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
