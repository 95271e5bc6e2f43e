# Slots get the number riders see, counted across the room's cabinets (issue 13.9): the
# existing slots are numbered in the order of their cabinets' codes and their own numbers.
# Rooms keep the token of the demo's cabinet player running for them (demo_play.py).

from django.db import migrations, models


def number_slots(apps, schema_editor):
    Slot = apps.get_model("charging", "Slot")
    positions: dict[int, int] = {}
    for slot in Slot.objects.select_related("cabinet").order_by(
        "cabinet__room_id", "cabinet__code", "number"
    ):
        room = slot.cabinet.room_id
        positions[room] = positions.get(room, 0) + 1
        slot.position = positions[room]
        slot.save(update_fields=["position"])


class Migration(migrations.Migration):
    dependencies = [("charging", "0003_clean_typed_text")]

    operations = [
        migrations.AddField(
            model_name="chargingroom",
            name="demo_player",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="slot",
            name="position",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="number in the room"),
        ),
        migrations.RunPython(number_slots, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="slot",
            name="position",
            field=models.PositiveSmallIntegerField(verbose_name="number in the room"),
        ),
    ]
