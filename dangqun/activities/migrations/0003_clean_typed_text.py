# Clean text stored before the one text rule (issue 12): control characters and lone
# surrogates removed, dates outside 1900..2100 reported. See dangqun/core/cleaning.py.

from django.db import migrations

from dangqun.core import cleaning

TYPED_TEXT = {
    "Activity": ["title", "partner", "sub_brand", "address", "description"],
}


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_waiting_list_counter")]

    operations = [cleaning.operation("activities", TYPED_TEXT)]
