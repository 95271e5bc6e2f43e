# Clean text stored before the one text rule (issue 12): control characters and lone
# surrogates removed, dates outside 1900..2100 reported. See dangqun/core/cleaning.py.

from django.db import migrations

from dangqun.core import cleaning

TYPED_TEXT = {
    "ServiceItem": ["name", "name_en", "unit", "staff_group", "description", "materials"],
    "ServiceField": ["label", "help_text", "choices"],
    "ServiceRequest": ["description", "values", "address", "reject_reason", "resolution"],
    "RequestEvent": ["note"],
    "Attachment": ["original_name"],
    "Rating": ["comment"],
    "FollowUp": ["note"],
}


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [cleaning.operation("intake", TYPED_TEXT)]
