from django.db import migrations

# The kinds of space the source article names, plus the everyday rooms of any center.
BUILTIN = [
    ("warm_current_home", "暖流之家", "Warm-current home"),
    ("women_children_station", "妇儿驿站", "Women-and-children station"),
    ("livestream_studio", "直播间", "Livestream studio"),
    ("maker_space", "创客空间", "Maker space"),
    ("elderly_canteen", "老年食堂", "Elderly canteen"),
    ("home_care", "居养中心", "Home-care center for the elderly"),
    ("childcare", "托育中心", "Childcare center"),
    ("exhibition_hall", "展厅", "Exhibition hall"),
    ("charging_room", "智能充换电间", "Smart charging room"),
    ("service_hall", "服务大厅", "Service hall"),
    ("meeting_room", "会议室", "Meeting room"),
    ("activity_room", "活动室", "Activity room"),
    ("rest_room", "休息室", "Rest room"),
]


def add_kinds(apps, schema_editor):
    SpaceKind = apps.get_model("places", "SpaceKind")
    for code, name, name_en in BUILTIN:
        SpaceKind.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "is_builtin": True}
        )


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
