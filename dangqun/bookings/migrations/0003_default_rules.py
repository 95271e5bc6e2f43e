from django.db import migrations

# Defaults per kind of space; staff edit them, and may override them for one space.
KIND_RULES = {
    # The livestream studio sells and recruits on air: staff approve each use.
    "livestream_studio": {"slot_minutes": 30, "min_minutes": 60, "max_minutes": 240,
                          "requires_approval": True},
    # A show in the exhibition hall runs a whole day and is planned months ahead.
    "exhibition_hall": {"slot_minutes": 60, "min_minutes": 60, "max_minutes": 600,
                        "max_days_ahead": 90, "requires_approval": True},
    "maker_space": {"slot_minutes": 30, "min_minutes": 30, "max_minutes": 240},
    "meeting_room": {"slot_minutes": 30, "min_minutes": 30, "max_minutes": 240},
    "activity_room": {"slot_minutes": 30, "min_minutes": 30, "max_minutes": 240},
}


def add_rules(apps, schema_editor):
    SpaceKind = apps.get_model("places", "SpaceKind")
    BookingRule = apps.get_model("bookings", "BookingRule")
    for code, fields in KIND_RULES.items():
        kind = SpaceKind.objects.filter(code=code).first()
        if kind is not None:
            BookingRule.objects.update_or_create(kind=kind, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0002_no_overlap_guard"), ("places", "0002_builtin_space_kinds")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
