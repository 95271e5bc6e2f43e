"""The riders' "joined the volunteer team" flag becomes a membership of the riders'
volunteer team of the Cangqian new-employment center (the team is made when someone had
the flag): the data kept, the flag then removed from riders."""

from django.db import migrations

RIDERS_CENTER_SLUG = "cangqian-new-employment"


def _riders_team(apps):
    Team = apps.get_model("volunteers", "Team")
    team = Team.objects.filter(is_riders_team=True).first()
    if team is not None:
        return team
    ServiceCenter = apps.get_model("places", "ServiceCenter")
    center = (
        ServiceCenter.objects.filter(slug=RIDERS_CENTER_SLUG).first()
        or ServiceCenter.objects.order_by("id").first()
    )
    if center is None:
        return None
    return Team.objects.create(
        name="小哥志愿服务队",
        name_en="Riders' volunteer team",
        region_id=center.region_id,
        center=center,
        is_riders_team=True,
    )


def forwards(apps, schema_editor):
    RiderProfile = apps.get_model("riders", "RiderProfile")
    PersonTag = apps.get_model("people", "PersonTag")
    Membership = apps.get_model("volunteers", "Membership")
    flagged = list(
        RiderProfile.objects.filter(joined_volunteer_team=True).values_list("person_id", flat=True)
    )
    if not flagged:
        return
    team = _riders_team(apps)
    if team is None:
        return
    for person_id in flagged:
        PersonTag.objects.get_or_create(person_id=person_id, tag="volunteer")
        Membership.objects.get_or_create(
            team=team, person_id=person_id, status="active", defaults={"role": "member"}
        )


def backwards(apps, schema_editor):
    RiderProfile = apps.get_model("riders", "RiderProfile")
    Membership = apps.get_model("volunteers", "Membership")
    members = Membership.objects.filter(team__is_riders_team=True, status="active").values_list(
        "person_id", flat=True
    )
    RiderProfile.objects.filter(person_id__in=list(members)).update(joined_volunteer_team=True)


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_initial"),
        ("riders", "0004_clean_typed_text"),
        ("people", "0003_tag_verification"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
