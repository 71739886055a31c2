from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "gaoqi.imports"
    verbose_name = "Excel 导入"
    default_auto_field = "django.db.models.BigAutoField"
