# Clean text stored before the one text rule (issue 12): control characters and lone
# surrogates removed, dates outside 1900..2100 reported. See dangqun/core/cleaning.py.

from django.db import migrations

from dangqun.core import cleaning

TYPED_TEXT = {
    "ClosedDate": ["reason"],
    "Booking": ["purpose", "reason"],
}


class Migration(migrations.Migration):
    dependencies = [("bookings", "0003_default_rules")]

    operations = [cleaning.operation("bookings", TYPED_TEXT)]
