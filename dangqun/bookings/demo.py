"""Demo bookings: how many people the bookable spaces hold, and a few bookings in the
coming days, entered by the center staff for demo residents, so the calendars have something
to show."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from dangqun.people.models import Person, StaffRole
from dangqun.places.models import Space

from .models import Booking
from .services import booking_create

# How many people each bookable space of the demo holds (places' demo leaves it empty):
# a booking for more people is refused.
CAPACITIES = {
    "创客空间": 30,
    "“聚贤里”直播间": 12,
    "草根文化展厅": 60,
    "成人课堂": 40,
}

DEMO_BOOKINGS = [  # (space name, days from today, start hour, hours, purpose)
    ("创客空间", 1, 9, 2, "青年创客交流会"),
    ("创客空间", 2, 14, 2, "党员学习小组"),
    ("“聚贤里”直播间", 3, 10, 2, "农产品直播销售"),
    ("草根文化展厅", 4, 9, 8, "传统艺术临习展布展"),
    ("成人课堂", 2, 9, 2, "婴儿抚触操培训"),
]


def load_demo() -> dict:
    """The spaces' capacities (where none is set), then a few bookings in the coming days,
    entered by the center staff for residents, so the calendars have something to show;
    the bookings only on a database without bookings."""
    for name, capacity in CAPACITIES.items():
        Space.objects.filter(name=name, capacity__isnull=True).update(capacity=capacity)
    if Booking.objects.exists():
        return {"bookings_created": 0}
    today = timezone.localdate()
    residents = list(Person.objects.filter(is_demo=True, staff_roles__isnull=True)[:10])
    for n, (space_name, days, hour, length, purpose) in enumerate(DEMO_BOOKINGS):
        space = Space.objects.select_related("center").get(name=space_name)
        staff = StaffRole.objects.filter(center=space.center).first().person
        start = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))
        booking_create(
            actor=staff,
            booker=residents[n % len(residents)],
            space=space,
            start=start,
            end=start + timedelta(hours=length),
            purpose=purpose,
            headcount=10,
        )
    return {"bookings_created": len(DEMO_BOOKINGS)}
