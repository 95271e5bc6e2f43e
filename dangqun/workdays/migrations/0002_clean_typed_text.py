# Clean text stored before the one text rule (issue 12): control characters and lone
# surrogates removed, dates outside 1900..2100 reported. See dangqun/core/cleaning.py.

from django.db import migrations

from dangqun.core import cleaning

TYPED_TEXT = {
    "OfficialDay": ["name"],
}


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [cleaning.operation("workdays", TYPED_TEXT)]
