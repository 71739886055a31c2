from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from gaoqi.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "region_code", "enterprise", "agency", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("角色与范围", {"fields": ("role", "region_code", "enterprise", "agency")}),
    )
