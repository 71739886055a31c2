from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "gaoqi.registry"
    label = "registry"
    verbose_name = "企业库"
