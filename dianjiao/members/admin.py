from django.contrib import admin

from .models import Member


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "gender",
        "ethnicity",
        "village",
        "category",
        "mobility",
        "point",
        "active",
    ]
    list_filter = ["active", "category", "mobility", "village__township", "village"]
    search_fields = ["name", "name_pinyin", "name_initials", "id_number", "phone"]
    list_select_related = ["village", "point"]
    autocomplete_fields = ["village", "point"]

    def has_delete_permission(self, request, obj=None):
        return False  # members leave the roster (active = False); they are never deleted
