"""Activities choose a partner and a sub-brand from the partners' records: the free-text
columns are kept under new names until 0007 has turned them into records."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_activity_owner"),
        ("partners", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("activity", "partner", "partner_name"),
        migrations.RenameField("activity", "sub_brand", "sub_brand_name"),
        migrations.AddField(
            model_name="activity",
            name="partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partners.partner",
                verbose_name="partner",
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="sub_brand",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partners.subbrand",
                verbose_name="sub-brand",
            ),
        ),
    ]
