# Clean text stored before the one text rule (issue 12): control characters and lone
# surrogates removed, dates outside 1900..2100 reported. See dangqun/core/cleaning.py.

from django.db import migrations

from dangqun.core import cleaning

TYPED_TEXT = {
    "Station": ["name", "operator", "phone", "address", "description"],
    "DemandSet": ["name"],
}


class Migration(migrations.Migration):
    dependencies = [("riders", "0003_demand_set")]

    operations = [cleaning.operation("riders", TYPED_TEXT)]
