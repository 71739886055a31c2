"""Entries recorded by the registry's services before every action had one spelling take the canonical one."""

from django.db import migrations

RENAMED = {
    "enterprise_create": "enterprise.create",
    "enterprise_update": "enterprise.update",
    "enterprise_delete": "enterprise.delete",
    "yearly_figures_create": "years.create",
    "yearly_figures_update": "years.update",
    "yearly_figures_delete": "years.delete",
}


def canonical(apps, schema_editor):
    entries = apps.get_model("core", "AuditEntry").objects
    for old, new in RENAMED.items():
        entries.filter(action=old).update(action=new)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_alter_auditentry_options_alter_auditentry_action_and_more")]

    operations = [migrations.RunPython(canonical, migrations.RunPython.noop)]  # the former code read both spellings
