"""The riders' demo: stations around the three streets' centers, all marked, work areas only
for demo residents tagged new-employment (with consent), a demand set; loading twice adds
nothing."""

import pytest

from dangqun import demo
from dangqun.riders import demo as riders_demo
from dangqun.riders.models import DemandSet, RiderProfile, Station

pytestmark = pytest.mark.django_db


def test_demo_stations_riders_and_demand(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo.load(residents=60)
    stations = Station.objects.all()
    assert stations.count() == 39
    assert all(s.is_demo and s.h3_r9 and s.amenities for s in stations)
    assert stations.filter(kind="center", center__slug="cangqian-new-employment").exists()
    riders = RiderProfile.objects.select_related("person")
    assert all(r.is_demo and r.person.is_demo and r.location_consent_at for r in riders)
    assert DemandSet.objects.get().total > 0
    assert riders_demo.load_demo() == {"stations_created": 0, "riders_created": 0}
    assert Station.objects.count() == 39 and DemandSet.objects.count() == 1
