# Clean text stored before the one text rule (issue 12): control characters and lone
# surrogates removed, dates outside 1900..2100 reported. See dangqun/core/cleaning.py.

from django.db import migrations

from dangqun.core import cleaning

TYPED_TEXT = {
    "Person": ["name"],
    "PersonTag": ["home_branch", "platform"],
    "StaffRole": ["partner_name"],
}


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [cleaning.operation("people", TYPED_TEXT)]
