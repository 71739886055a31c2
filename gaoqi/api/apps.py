from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gaoqi.api"
    label = "api"
    verbose_name = "接口"
