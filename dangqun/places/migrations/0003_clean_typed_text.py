# Clean text stored before the one text rule (issue 12): control characters and lone
# surrogates removed, dates outside 1900..2100 reported. See dangqun/core/cleaning.py.

from django.db import migrations

from dangqun.core import cleaning

TYPED_TEXT = {
    "Region": ["name", "name_en"],
    "SpaceKind": ["name", "name_en"],
    "ServiceCenter": ["name", "name_en", "address", "phone", "brand", "description"],
    "Space": ["name", "name_en", "description"],
}


class Migration(migrations.Migration):
    dependencies = [("places", "0002_builtin_space_kinds")]

    operations = [cleaning.operation("places", TYPED_TEXT)]
