from django.contrib import admin

from gaoqi.registry.models import (
    Award,
    Certificate,
    Enterprise,
    EnterpriseRecord,
    EquityFinancing,
    Incident,
    IPItem,
    RDInstitution,
    ServiceAgency,
    Standard,
    YearlyFigures,
)


class EnterpriseRecordInline(admin.StackedInline):
    model = EnterpriseRecord
    can_delete = False
    fieldsets = (
        (
            "已提供的清单（可为空）",
            {
                "fields": (
                    "has_ip_record",
                    "has_certificate_record",
                    "has_incident_record",
                    "has_award_record",
                    "has_rd_institution_record",
                    "has_standard_record",
                    "has_equity_financing_record",
                )
            },
        ),
        (
            "信用记录",
            {
                "fields": (
                    "is_on_abnormal_list",
                    "is_seriously_dishonest",
                    "has_research_misconduct",
                    "has_prohibited_products",
                    "has_tax_evasion_3y",
                )
            },
        ),
        (
            "专家评价",
            {
                "fields": (
                    "ip_advancement",
                    "ip_core_support",
                    "ip_acquisition",
                    "standard_bonus",
                    "conversion_score",
                    "rd_management_1",
                    "rd_management_2",
                    "rd_management_3",
                    "rd_management_4",
                    "expert_scores",
                )
            },
        ),
        (
            "专精特新评价",
            {
                "fields": (
                    "niche_years",
                    "market_share",
                    "market_rank",
                    "chain_field",
                    "has_information_system",
                    "has_certification",
                    "has_own_brand",
                    "has_quality_award",
                    "local_score",
                    "platform_score",
                )
            },
        ),
    )


class YearlyFiguresInline(admin.StackedInline):
    model = YearlyFigures
    extra = 0


class IPItemInline(admin.TabularInline):
    model = IPItem
    extra = 0


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0


class RDInstitutionInline(admin.TabularInline):
    model = RDInstitution
    extra = 0


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0


class StandardInline(admin.TabularInline):
    model = Standard
    extra = 0


class EquityFinancingInline(admin.TabularInline):
    model = EquityFinancing
    extra = 0


class IncidentInline(admin.TabularInline):
    model = Incident
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("uscc", "name", "region_code", "industry_code", "registered_on")
    search_fields = ("uscc", "name")
    list_filter = ("region_code",)
    inlines = (
        EnterpriseRecordInline,
        YearlyFiguresInline,
        IPItemInline,
        CertificateInline,
        RDInstitutionInline,
        AwardInline,
        StandardInline,
        EquityFinancingInline,
        IncidentInline,
    )


@admin.register(ServiceAgency)
class ServiceAgencyAdmin(admin.ModelAdmin):
    list_display = ("uscc", "name")
    search_fields = ("uscc", "name")


@admin.register(YearlyFigures)
class YearlyFiguresAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "year", "sales_revenue", "rd_expense", "staff_total")
    list_filter = ("year",)
    search_fields = ("enterprise__uscc", "enterprise__name")
    raw_id_fields = ("enterprise",)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "program", "issued_on", "expires_on", "number")
    list_filter = ("program",)
    search_fields = ("enterprise__uscc", "enterprise__name", "number")
    raw_id_fields = ("enterprise",)
