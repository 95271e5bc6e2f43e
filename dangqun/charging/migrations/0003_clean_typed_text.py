# Clean text stored before the one text rule (issue 12): control characters and lone
# surrogates removed, dates outside 1900..2100 reported. See dangqun/core/cleaning.py.

from django.db import migrations

from dangqun.core import cleaning

TYPED_TEXT = {
    "ChargingRoom": ["name", "name_en"],
    "FaultReport": ["text", "note"],
}


class Migration(migrations.Migration):
    dependencies = [("charging", "0002_slot_kind_label")]

    operations = [cleaning.operation("charging", TYPED_TEXT)]
