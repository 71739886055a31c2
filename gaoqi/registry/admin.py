from django.contrib import admin

from gaoqi.registry.models import Enterprise, ServiceAgency


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("uscc", "name", "region_code", "industry_code", "registered_on")
    search_fields = ("uscc", "name")
    list_filter = ("region_code",)


@admin.register(ServiceAgency)
class ServiceAgencyAdmin(admin.ModelAdmin):
    list_display = ("uscc", "name")
    search_fields = ("uscc", "name")
