from django.urls import path

from gaoqi.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_index, name="index"),
    path("template/", views.import_template, name="template"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/progress/", views.batch_progress, name="progress"),
    path("<int:pk>/commit/", views.batch_commit, name="commit"),
    path("<int:pk>/cancel/", views.batch_cancel, name="cancel"),
    path("<int:pk>/problems/", views.batch_problems_export, name="problems"),
]
