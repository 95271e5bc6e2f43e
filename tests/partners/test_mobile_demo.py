"""The demo's mobile party members: two temporary organisations, ten members who reported
in this year (demo persons with the declared group), a notice and a project with its log;
a second load does nothing."""

import pytest
from django.utils import timezone

from dangqun.partners import demo_mobile, mobile_read
from dangqun.partners.models import (
    MobileMember,
    Notice,
    Participation,
    ReportIn,
    ServiceProject,
    TemporaryOrganisation,
)
from dangqun.people import demo as people_demo
from dangqun.people.models import Person, PersonTag
from dangqun.places import demo as places_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    places_demo.load_demo()
    people_demo.load_demo(residents=0)
    return demo_mobile.load_demo()


def test_the_demo_loads_once(loaded):
    assert loaded == {"mobile_members_created": 10, "temporary_organisations_created": 2}
    assert TemporaryOrganisation.objects.count() == 2
    assert MobileMember.objects.count() == 10
    assert not Person.objects.filter(mobile_member__isnull=False, is_demo=False).exists()
    assert PersonTag.objects.filter(tag="mobile_party_member", person__is_demo=True).count() >= 10
    year = timezone.localdate().year
    assert ReportIn.objects.filter(reported_at__year=year).count() == 10
    assert Notice.objects.get().deliveries.count() == 5
    project = ServiceProject.objects.get()
    assert (
        project.members.count() == 3 and Participation.objects.filter(project=project).count() == 3
    )
    assert demo_mobile.load_demo() == {"mobile_members_created": 0}
    assert MobileMember.objects.count() == 10
    admin = Person.objects.get(mobile=people_demo.DEMO_STAFF_MOBILE)
    figures = mobile_read.figures(admin, year=year)
    assert figures["registered"] == 10 and figures["reported_in"] == 10
    assert figures["took_part"] == 4
