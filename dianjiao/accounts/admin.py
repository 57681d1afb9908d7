from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class DianjiaoUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "role", "county", "township", "village", "is_active"]
    list_filter = ["role", "is_active", "township"]
    search_fields = ["username", "full_name", "phone"]
    fieldsets = UserAdmin.fieldsets + (
        (
            _("电教角色与范围"),
            {"fields": ["full_name", "phone", "role", "county", "township", "village"]},
        ),
    )

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted: the logbook names them
