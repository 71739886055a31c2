from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "gaoqi.assessments"
    label = "assessments"
    verbose_name = "资质自评"
