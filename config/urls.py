from django.contrib import admin
from django.urls import include, path

from gaoqi.registry.views import home

admin.site.site_header = "高企 科技企业培育服务平台 · 管理"
urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("gaoqi.accounts.urls")),
    path("assessments/", include("gaoqi.assessments.urls")),
    path("enterprises/", include("gaoqi.registry.urls")),
    path("imports/", include("gaoqi.imports.urls")),
    path("api/v1/", include("gaoqi.api.urls")),
    path("audit/", include("gaoqi.audit.urls")),
    path("admin/", admin.site.urls),
]
