"""Records for the partners' figures' tests: activities with sessions at given moments and
check-ins through the activities' services, resolved (or other) intake requests, hours
ledger entries of a partner's team, agreements and receipts."""

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangqun.activities import services as activity_services
from dangqun.activities.models import ActivitySession
from dangqun.intake.models import ServiceRequest
from dangqun.partners.models import Agreement, Receipt
from dangqun.volunteers.models import HoursEntry, Shift, Task, Team
from tests import factories

_numbers = itertools.count(1)


def moment(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def activity_with_sessions(center, days, *, partner=None, sub_brand=None, status="published"):
    """An activity of the center under the partner / sub-brand, a two-hour session at 9:00
    on each of the days (local dates)."""
    made = factories.activity(
        center, sessions=0, partner=partner, sub_brand=sub_brand, status="published", capacity=50
    )
    sessions = [
        ActivitySession.objects.create(
            activity=made, start=moment(day), end=moment(day) + timedelta(hours=2)
        )
        for day in days
    ]
    if status != "published":
        type(made).objects.filter(pk=made.pk).update(status=status)
    return made, sessions


def check_in(session, person, *, staff=None):
    """The person signs up (through the service) and is checked in at the session."""
    registration = session.activity.registrations.filter(person=person, status="confirmed").first()
    if registration is None:
        registration = activity_services.registration_create(
            actor=person, activity=session.activity
        )
    entry, _created = activity_services.check_in(
        actor=staff or person,
        session=session,
        registration=registration,
        method="short_code",
        check_window=False,
    )
    return entry


def request(item, person, *, closed_on: date | None, status: str = "resolved"):
    return ServiceRequest.objects.create(
        number=f"T-{next(_numbers):06d}",
        item=item,
        person=person,
        center=item.center,
        unit=item.unit,
        channel="counter",
        status=status,
        closed_at=moment(closed_on, 15) if closed_on else None,
    )


def team(center, *, partner=None, name="浙外志愿队"):
    return Team.objects.create(name=name, region=center.region, center=center, partner=partner)


def hours(team, person, day: date, minutes: int, *, kind="honour", shift=None):
    return HoursEntry.objects.create(
        person=person,
        team=team,
        kind=kind,
        source="approval" if kind == "honour" else "attendance",
        minutes=minutes,
        date=day,
        shift=shift,
    )


def shift_for(team, activity):
    """A shift of the team running on the activity (for hours of a sub-brand)."""
    task = Task.objects.create(
        team=team, title="助老", center=team.center, venue="address", address="闲林"
    )
    session = activity.sessions.first()
    return Shift.objects.create(task=task, activity=activity, start=session.start, end=session.end)


def agreement(partner, start: date, end: date, *, sessions=0, hours="0", money="0"):
    return Agreement.objects.create(
        partner=partner,
        start=start,
        end=end,
        pledged_sessions=sessions,
        pledged_hours=Decimal(hours),
        pledged_money=Decimal(money),
    )


def receipt(partner, day: date, amount: str, *, kind="money"):
    return Receipt.objects.create(
        partner=partner,
        kind=kind,
        received_on=day,
        amount=Decimal(amount),
        description="捐赠",
        evidence=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
