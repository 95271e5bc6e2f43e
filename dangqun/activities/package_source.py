"""What activities tell service packages (partners/package_sources.py): an entry names a
kind of activity; the package's page lists the upcoming activities of that kind; a person
used it by attending a session of one, or holding a confirmed place at one with a session
in the period. (Activities have no series: a package names kinds.)"""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dangqun.partners import package_sources

from . import selectors
from .models import Activity, Registration

UPCOMING = 5


def check(reference: str, region) -> str | None:
    return reference if reference in Activity.Kind.values else None


def describe(references) -> dict:
    shown = {}
    for kind in references:
        if kind not in Activity.Kind.values:
            continue
        upcoming = []
        for activity in selectors.activities_public(kind=kind)[:UPCOMING]:
            first = activity.sessions.all()[0].start
            upcoming.append(
                (
                    activity.title,
                    reverse("activities:detail", args=[activity.public_id]),
                    timezone.localtime(first),
                )
            )
        shown[kind] = package_sources.Shown(
            title=str(Activity.Kind(kind).label),
            url=reverse("activities:list") + "?" + urlencode({"kind": kind}),
            upcoming=upcoming,
        )
    return shown


def users(references, start, end):
    attended = Q(check_ins__session__start__gte=start, check_ins__session__start__lt=end)
    confirmed = Q(
        status=Registration.Status.CONFIRMED,
        activity__sessions__start__gte=start,
        activity__sessions__start__lt=end,
    )
    return Registration.objects.filter(
        Q(activity__kind__in=references, activity__owner="") & (attended | confirmed)
    ).values("person_id")


def choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Activity.Kind.choices]


def register() -> None:
    package_sources.register(
        "activity_kind", check=check, describe=describe, users=users, choices=choices
    )
