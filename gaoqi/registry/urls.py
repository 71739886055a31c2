from django.urls import path

from gaoqi.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export/", views.enterprise_export, name="export"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
]
