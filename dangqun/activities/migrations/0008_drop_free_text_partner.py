from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("activities", "0007_partner_records_data")]

    operations = [
        migrations.RemoveField("activity", "partner_name"),
        migrations.RemoveField("activity", "sub_brand_name"),
    ]
