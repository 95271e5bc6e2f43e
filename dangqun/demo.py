"""The demo district: Yuhang District as the source article describes it (Zhejiang Daily,
2023-08-18), plus generated residents and staff, every one marked is_demo. Each app loads
its own demo data (its demo.py); the shell calls them in order, each app after those it
builds on, in one transaction."""

from django.db import transaction

from dangqun.activities import demo as activities
from dangqun.bookings import demo as bookings
from dangqun.charging import demo as charging
from dangqun.intake import demo as intake
from dangqun.partners import demo as partners
from dangqun.partners import demo_mobile as mobile_members
from dangqun.partners import demo_packages as packages
from dangqun.people import demo as people
from dangqun.places import demo as places
from dangqun.riders import demo as riders
from dangqun.volunteers import demo as volunteers

# What the commands and their tests read here.
REGIONS, CENTERS = places.REGIONS, places.CENTERS
STAFF, DEMO_STAFF_MOBILE = people.STAFF, people.DEMO_STAFF_MOBILE
demo_password = people.demo_password


@transaction.atomic
def load(*, residents: int = 300) -> dict:
    places.load_demo()
    residents_created = people.load_demo(residents=residents)
    # Partners before the apps whose activities, items and teams name them.
    created = partners.load_demo()
    created.update(mobile_members.load_demo())
    for app in (bookings, activities, intake, riders, charging, volunteers):
        created.update(app.load_demo())
    # Packages bundle the items, activities and spaces the apps above made.
    created.update(packages.load_demo())
    return {**created, **places.figures(), **residents_created, **people.figures()}


def is_empty() -> bool:
    return places.is_empty()
