from django.urls import path

from gaoqi.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("export/", views.assessment_export, name="export"),
    path("new/", views.assessment_new, name="new"),
    path("new/enterprises/", views.assessment_enterprise_search, name="enterprise_search"),
    path("what-if/", views.assessment_what_if_view, name="what_if"),
    path("save/", views.assessment_save_view, name="save"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/report/", views.assessment_report, name="report"),
    path("<int:pk>/revise/", views.assessment_revise, name="revise"),
]
