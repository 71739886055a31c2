from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gaoqi.core"
    label = "core"
    verbose_name = "基础"
