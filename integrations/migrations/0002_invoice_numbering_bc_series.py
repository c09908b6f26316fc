"""Sales documents take BC's number series: the "shop number" mode wrote the read-only `number`."""

from django.db import migrations, models


def shop_numbers_to_bc_series(apps, schema_editor):
    Integration = apps.get_model("integrations", "Integration")
    Integration.objects.exclude(invoice_numbering="bc_series").update(invoice_numbering="bc_series")


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(shop_numbers_to_bc_series, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="integration",
            name="invoice_numbering",
            field=models.CharField(
                choices=[("bc_series", "BC number series (default)")], default="bc_series", max_length=20
            ),
        ),
    ]
