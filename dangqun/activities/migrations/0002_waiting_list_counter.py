"""The waiting list's length kept on the activity's row (Activity.waiting), counted once
here from the registrations; and two indexes of registrations that no query needs, which
every sign-up had to write (each remaining index begins with the activity)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Q


def count_the_waiting(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    counted = Activity.objects.annotate(
        queue=Count("registrations", filter=Q(registrations__status="waitlisted"))
    ).filter(queue__gt=0)
    for activity in counted:
        Activity.objects.filter(pk=activity.pk).update(waiting=activity.queue)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="waiting",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AlterField(
            model_name="registration",
            name="activity",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="registrations",
                to="activities.activity",
            ),
        ),
        migrations.AlterField(
            model_name="registration",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True),
        ),
        migrations.RunPython(count_the_waiting, migrations.RunPython.noop),
    ]
