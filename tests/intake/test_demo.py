"""The demo catalogue: the three demo centers offer their own items and the district's."""

import pytest

from dangqun import demo
from dangqun.intake import selectors
from dangqun.intake.models import Rating, ServiceItem, ServiceRequest
from dangqun.places.models import ServiceCenter


@pytest.fixture
def loaded(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return demo.load(residents=20)


def test_demo_catalogue_and_requests(loaded):
    assert loaded["service_items_created"] == ServiceItem.objects.count() == 11
    for slug in ("xianlin", "cangqian-new-employment", "renhe"):
        center = ServiceCenter.objects.get(slug=slug)
        items = selectors.items_offered(center=center)
        kinds = {item.kind for item in items}
        assert "party-membership-transfer" in {i.code for i in items}
        assert len(kinds) >= 2
    statuses = set(ServiceRequest.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "accepted", "in_progress", "resolved", "rejected"}
    assert Rating.objects.count() == 3
    clinic = ServiceItem.objects.get(code="free-clinic-night")
    assert (clinic.partner.name, clinic.sub_brand.name) == ("闲富门诊", "永不熄灭的那一盏灯")
    assert demo.load(residents=20)["service_items_created"] == 0  # only once
