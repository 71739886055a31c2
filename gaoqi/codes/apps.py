from django.apps import AppConfig


class CodesConfig(AppConfig):
    name = "gaoqi.codes"
    label = "codes"
    verbose_name = "代码表"
