from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit log's pages, for auditors and administrators; the log itself is kept by ``gaoqi.core``."""

    name = "gaoqi.audit"
    label = "audit"
    verbose_name = "操作日志"
