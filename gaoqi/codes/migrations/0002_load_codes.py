"""Fill the code tables from the bundled files (regions of Guangdong/Jiangmen; industry sections and divisions)."""

from django.db import migrations

from gaoqi.codes.data import read_rows


def load(apps, schema_editor):
    for model_name, file_name in (("Region", "regions"), ("Industry", "industries")):
        model = apps.get_model("codes", model_name)
        for row in read_rows(file_name):
            model.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "level": row["level"], "parent_id": row["parent"] or None},
            )


class Migration(migrations.Migration):
    dependencies = [("codes", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
