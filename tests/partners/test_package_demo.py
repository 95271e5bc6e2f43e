"""The demo's two service packages (elders; new-employment workers) load on the demo
district with real items, activity kinds and spaces, a second load makes nothing new, and
the demo's elders and riders see their package "for you"."""

import pytest

from dangqun import demo
from dangqun.partners import demo_packages, packages_read
from dangqun.partners.models import ServicePackage
from dangqun.people.models import Person


@pytest.fixture
def loaded(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return demo.load(residents=60)  # the packages come after the apps they bundle


def test_two_packages_with_real_contents(loaded):
    assert loaded["service_packages_created"] == 2
    elders = ServicePackage.objects.get(target_groups=["elder"])
    riders = ServicePackage.objects.get(target_groups=["new_employment"])
    assert elders.min_age == 60 and elders.region.name == "余杭区"
    assert riders.region.name == "仓前街道"
    shown = packages_read.contents(elders)
    assert [e.reference for e, _ in shown["item"]] == [
        "elderly-canteen-meals",
        "volunteer-help",
        "legal-consultation",
    ]
    assert {e.reference for e, _ in shown["activity_kind"]} == {"convenience", "featured"}
    assert len(shown["space"]) == 2
    riders_shown = packages_read.contents(riders)
    assert [e.reference for e, _ in riders_shown["item"]] == [
        "rider-assistance",
        "charging-room-fault",
    ]
    assert len(riders_shown["space"]) == 1
    training = {e.reference: shown for e, shown in riders_shown["activity_kind"]}["training"]
    assert "交警安全骑行培训" in [title for title, _url, _when in training.upcoming]
    assert demo_packages.load_demo() == {"service_packages_created": 0}
    assert ServicePackage.objects.count() == 2


def test_the_demos_elders_and_riders_see_their_package(loaded):
    elder = Person.objects.filter(is_demo=True, tags__tag="elder").first()
    rider = Person.objects.filter(is_demo=True, tags__tag="new_employment").first()
    assert [p.target_groups for p in packages_read.packages_for_person(elder)][0] == ["elder"]
    assert ["new_employment"] in [p.target_groups for p in packages_read.packages_for_person(rider)]
