"""Service packages' pages over HTTP: the home page's "For you" (the packages that fit the
signed-in person first; the district's packages for a visitor), the intake catalogue's
"for you" group first, a package's page with its items, upcoming activities and spaces,
and the back office under /staff/packages/ scoped to the staff's regions."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dangqun.core.models import AuditEntry
from dangqun.partners import packages
from dangqun.partners.models import ServicePackage
from tests import factories
from tests.clients import page_client

from .package_fixtures import scene

pytestmark = pytest.mark.django_db


def riders_package(s):
    return packages.package_create(
        actor=s.staff,
        region=s.tree.xianlin,
        name="新业态服务包",
        name_en="Riders' package",
        target_groups=["new_employment"],
        entries=[("item", s.other_item.code)],
    )


def headings(html: str) -> list[str]:
    return re.findall(r'<h2 id="([^"]+)"', html)


def test_home_shows_the_packages_that_fit_first_for_you():
    s = scene()
    riders = riders_package(s)
    page = page_client(s.elder).get("/").content.decode()
    assert headings(page)[:2] == ["home-for-you", "home-packages"]
    for_you = page.split('id="home-for-you"')[1].split('id="home-packages"')[0]
    assert "Elder package" in for_you and "Riders&#x27; package" not in for_you
    assert f"package-{riders.public_id}" in page.split('id="home-packages"')[1]
    rider_page = page_client(s.rider).get("/").content.decode()
    for_rider = rider_page.split('id="home-for-you"')[1].split('id="home-packages"')[0]
    assert "Riders&#x27; package" in for_rider and "Elder package" not in for_rider


def test_a_visitor_sees_the_packages_of_the_district():
    s = scene()
    riders_package(s)
    page = page_client().get("/").content.decode()
    assert "home-for-you" not in page
    assert "Elder package" in page and "Riders&#x27; package" in page
    assert page_client(language="zh-hans").get("/").status_code == 200


def test_the_catalogue_shows_the_items_of_my_packages_first():
    s = scene()
    url = "/intake/centers/xianlin/"
    mine = page_client(s.elder).get(url).content.decode()
    assert headings(mine)[0] == "kind-for-you"
    for_you = mine.split('id="kind-for-you"')[1].split("</section>")[0]
    assert "elder-health-check" in for_you and "party-transfer" not in for_you
    for person in (None, s.rider, s.stranger):
        page = page_client(person).get(url).content.decode()
        assert "kind-for-you" not in page and "elder-health-check" in page


def test_a_package_page_lists_items_activities_and_spaces():
    s = scene()
    page = page_client().get(f"/packages/{s.package.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/intake/centers/xianlin/elder-health-check/"' in html
    assert f'href="/activities/{s.activity.public_id}/"' in html
    assert f'href="/bookings/spaces/{s.space.pk}/calendar/"' in html
    assert "package-fits" not in html
    assert (
        "package-fits"
        in page_client(s.elder).get(f"/packages/{s.package.public_id}/").content.decode()
    )
    assert (
        page_client(language="zh-hans").get(f"/packages/{s.package.public_id}/").status_code == 200
    )
    listing = page_client(s.elder).get("/packages/").content.decode()
    assert headings(listing)[0] == "for-you"


def test_unknown_and_archived_packages_are_404():
    s = scene()
    client = page_client()
    assert client.get("/packages/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/packages/nonsense/").status_code == 404
    packages.package_archive(actor=s.staff, package=s.package)
    assert client.get(f"/packages/{s.package.public_id}/").status_code == 404


# --- back office ----------------------------------------------------------------------------


def form_data(s, **changes):
    return {
        "region": str(s.tree.xianlin.pk),
        "name": "助老服务包",
        "name_en": "Help for elders",
        "description": "",
        "target_groups": ["elder"],
        "min_age": "60",
        "max_age": "",
        "home_region": "",
        "items": [s.item.code],
        "activity_kinds": ["convenience"],
        "spaces": [str(s.space.pk)],
        **changes,
    }


def test_staff_make_change_and_archive_a_package_in_their_region():
    s = scene()
    client = page_client(s.staff)
    assert client.get("/staff/packages/new/").status_code == 200
    answer = client.post("/staff/packages/new/", form_data(s))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    made = ServicePackage.objects.get(name="助老服务包")
    assert answer["Location"] == f"/staff/packages/{made.public_id}/"
    assert made.target_groups == ["elder"] and made.min_age == 60
    assert made.entries.count() == 3
    listing = client.get("/staff/packages/").content.decode()
    assert f"package-{made.public_id}" in listing and f"package-{s.package.public_id}" in listing
    edit = client.get(f"/staff/packages/{made.public_id}/")
    assert edit.status_code == 200
    assert re.search(r'value="elder"[^>]*checked', edit.content.decode())
    data = form_data(s, name="助老服务包（新）", items=[], spaces=[])
    del data["region"]
    assert client.post(f"/staff/packages/{made.public_id}/", data).status_code == 302
    made.refresh_from_db()
    assert made.name == "助老服务包（新）" and made.entries.count() == 1
    assert (
        client.post(f"/staff/packages/{made.public_id}/archive/", {"archived": "1"}).status_code
        == 302
    )
    made.refresh_from_db()
    assert made.status == "archived"
    assert (
        AuditEntry.objects.filter(
            object_type="partners.servicepackage", object_id=str(made.pk)
        ).count()
        == 3
    )


def test_a_package_without_a_target_group_is_refused_beside_the_field():
    s = scene()
    answer = page_client(s.staff).post("/staff/packages/new/", form_data(s, target_groups=[]))
    assert answer.status_code == 400
    html = answer.content.decode()
    assert 'id="fieldset-target_groups"' in html
    fieldset = html.split('id="fieldset-target_groups"')[1].split("</fieldset>")[0]
    assert "at least one target group" in fieldset
    bad = page_client(s.staff).post(
        "/staff/packages/new/", form_data(s, min_age="70", max_age="60", name="x\x00")
    )
    assert bad.status_code == 400
    assert ServicePackage.objects.count() == 1


def test_staff_of_another_region_see_nothing_of_the_package():
    s = scene()
    other = page_client(s.other_staff)
    assert f"package-{s.package.public_id}" not in other.get("/staff/packages/").content.decode()
    for url in ("", "figures/"):
        assert other.get(f"/staff/packages/{s.package.public_id}/{url}").status_code == 404
    assert other.post(f"/staff/packages/{s.package.public_id}/archive/").status_code == 404
    # Nor can they make one in a region not theirs.
    answer = other.post("/staff/packages/new/", form_data(s))
    assert answer.status_code == 400
    assert page_client(s.elder).get("/staff/packages/").status_code in (302, 403, 404)


def test_the_figures_page_counts_people_of_each_group():
    from .test_package_rules import used_everything

    s = scene()
    used_everything(s)
    client = page_client(s.staff)
    today = timezone.localdate()
    answer = client.get(
        f"/staff/packages/{s.package.public_id}/figures/",
        {"start": (today - timedelta(days=7)).isoformat(), "end": today.isoformat()},
    )
    assert answer.status_code == 200
    figures = answer.content.decode().split('id="figures"')[1].split("</ul>")[0]
    assert re.findall(r"<strong>(\d+)</strong>", figures) == ["2", "2"]
    for bad in (
        {"start": "9999-01-01"},
        {"end": "x"},
        {"start": today.isoformat(), "end": "2000-01-01"},
    ):
        assert client.get(f"/staff/packages/{s.package.public_id}/figures/", bad).status_code == 400


def test_staff_home_and_the_staff_pages_render_in_chinese():
    s = scene()
    client = page_client(s.staff, language="zh-hans")
    for url in (
        "/staff/packages/",
        "/staff/packages/new/",
        f"/staff/packages/{s.package.public_id}/",
        f"/staff/packages/{s.package.public_id}/figures/",
    ):
        assert client.get(url).status_code == 200, url
    assert factories  # the factories made the scene


def test_the_menu_and_the_back_office_link_the_packages():
    s = scene()
    assert 'href="/packages/"' in page_client().get("/menu/").content.decode()
    assert 'href="/staff/packages/"' in page_client(s.staff).get("/staff/").content.decode()


def test_a_thing_of_another_region_is_refused_beside_its_list():
    s = scene()
    other = factories.SpaceFactory(center=s.tree.cangqian_center, name="充换电间")
    answer = page_client(s.staff).post(
        "/staff/packages/new/", form_data(s, spaces=[str(s.space.pk), str(other.pk)])
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    spaces = html.split('id="fieldset-spaces"')[1].split("</fieldset>")[0]
    assert "in the package&#x27;s region" in spaces
