"""The service packages' API over HTTP: the public list and a package with its contents,
for_me for a signed-in caller, and the staff's endpoints (make, change, archive, figures)
scoped to their regions. Bad input names the field; unknown and others' ids are 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangqun.core.models import AuditEntry
from dangqun.partners.models import ServicePackage
from tests.clients import Api, error

from .package_fixtures import scene
from .test_package_pages import riders_package

pytestmark = pytest.mark.django_db

NONE = "00000000-0000-0000-0000-000000000000"


def test_the_public_list_and_a_package_with_its_contents():
    s = scene()
    riders_package(s)
    answer = Api().get("/packages")
    assert answer.status_code == 200
    names = [p["name_en"] for p in answer.json()]
    assert sorted(names) == ["Elder package", "Riders' package"]
    detail = Api().get(f"/packages/{s.package.public_id}").json()
    assert detail["target_groups"] == ["elder"] and detail["min_age"] == 60
    assert detail["target_group_names"] == ["Elder"]
    kinds = [(e["kind"], e["reference"]) for e in detail["entries"]]
    assert kinds == [
        ("item", "elder-health-check"),
        ("activity_kind", "convenience"),
        ("space", str(s.space.pk)),
    ]
    assert detail["entries"][0]["url"] == "/intake/centers/xianlin/elder-health-check/"
    assert [u["title"] for u in detail["entries"][1]["upcoming"]] == ["义诊进社区"]


def test_for_me_gives_the_fitting_packages_to_a_signed_in_caller():
    s = scene()
    riders = riders_package(s)
    assert [
        p["public_id"] for p in Api(s.elder, token=True).get("/packages", {"for_me": 1}).json()
    ] == [str(s.package.public_id)]
    assert [p["public_id"] for p in Api(s.rider).get("/packages", {"for_me": "true"}).json()] == [
        str(riders.public_id)
    ]
    assert Api(s.stranger, token=True).get("/packages", {"for_me": 1}).json() == []
    error(Api().get("/packages", {"for_me": 1}), 401)
    assert error(Api().get("/packages", {"for_me": "perhaps"}), 422)["field"] == "for_me"


def test_unknown_and_archived_packages_are_404():
    s = scene()
    for public_id in (NONE, "nonsense", "%ED%A0%80", "9" * 30):
        error(Api().get(f"/packages/{public_id}"), 404)
    Api(s.staff, token=True).post(f"/staff/packages/{s.package.public_id}/archive", {})
    error(Api().get(f"/packages/{s.package.public_id}"), 404)
    assert Api().get("/packages").json() == []


def payload(s, **changes):
    return {
        "region": s.tree.xianlin.pk,
        "name": "助老服务包",
        "name_en": "Help for elders",
        "target_groups": ["elder"],
        "min_age": 60,
        "entries": [
            {"kind": "item", "reference": s.item.code},
            {"kind": "space", "reference": str(s.space.pk)},
        ],
        **changes,
    }


def test_staff_make_change_archive_and_read_a_package():
    s = scene()
    api = Api(s.staff, token=True)
    made = api.post("/staff/packages", payload(s))
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["entries"] == [
        {"kind": "item", "reference": s.item.code},
        {"kind": "space", "reference": str(s.space.pk)},
    ]
    public_id = body["public_id"]
    assert api.get(f"/staff/packages/{public_id}").json()["name"] == "助老服务包"
    changed = payload(s, name="助老服务包二", entries=[], home_region=s.tree.minfeng.pk)
    del changed["region"]
    answer = api.put(f"/staff/packages/{public_id}", changed)
    assert answer.status_code == 200, answer.content
    assert answer.json()["entries"] == [] and answer.json()["home_region"] == s.tree.minfeng.pk
    archived = api.post(f"/staff/packages/{public_id}/archive", {"archived": True})
    assert archived.json()["status"] == "archived"
    again = api.post(f"/staff/packages/{public_id}/archive", {"archived": False})
    assert again.json()["status"] == "active"
    listed = [p["public_id"] for p in api.get("/staff/packages").json()]
    assert public_id in listed and str(s.package.public_id) in listed
    package = ServicePackage.objects.get(public_id=public_id)
    actions = list(
        AuditEntry.objects.filter(
            object_type="partners.servicepackage", object_id=str(package.pk)
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        ["service_package.create", "service_package.update"] + ["service_package.archive"] * 2
    )


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"target_groups": []}, 400, "target_groups"),
        ({"target_groups": ["robots"]}, 422, "target_groups.0"),
        ({"target_groups": "elder"}, 422, "target_groups"),
        ({"name": ""}, 422, "name"),
        ({"name": "x\ud800"}, 400, "name"),
        ({"name": "x\x07"}, 400, "name"),
        ({"name": "长" * 3_000_000}, 413, None),
        ({"min_age": -1}, 422, "min_age"),
        ({"min_age": 10**30}, 400, "min_age"),
        ({"min_age": 70, "max_age": 60}, 400, "max_age"),
        ({"home_region": 10**30}, 400, "home_region"),
        ({"home_region": 999999}, 400, "home_region"),
        ({"entries": [{"kind": "car", "reference": "x"}]}, 422, "entries.0.kind"),
        ({"entries": [{"kind": "item", "reference": "nope"}]}, 400, "entries.0.reference"),
        ({"entries": [{"kind": "space", "reference": "9" * 30}]}, 400, "entries.0.reference"),
        ({"entries": [{"kind": "item"}]}, 422, "entries.0.reference"),
        ({"entries": "all"}, 422, "entries"),
        ({"region": 10**30}, 400, "region"),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes, status, field):
    s = scene()
    body = error(Api(s.staff, token=True).post("/staff/packages", payload(s, **changes)), status)
    if field is not None:
        assert body["field"] == field, body
    assert ServicePackage.objects.count() == 1


def test_staff_of_another_region_get_404():
    s = scene()
    other = Api(s.other_staff, token=True)
    assert other.get("/staff/packages").json() == []
    for path in ("", "/figures"):
        error(other.get(f"/staff/packages/{s.package.public_id}{path}"), 404)
    error(other.post(f"/staff/packages/{s.package.public_id}/archive", {}), 404)
    error(other.post("/staff/packages", payload(s)), 404)  # a region not theirs
    error(Api(s.staff, token=True).get(f"/staff/packages/{NONE}"), 404)
    error(Api(s.elder, token=True).get("/staff/packages"), 404)
    error(Api().get("/staff/packages"), 401)


def test_figures_over_the_api_equal_the_direct_count():
    from .test_package_rules import direct_count, used_everything

    s = scene()
    used_everything(s)
    today = timezone.localdate()
    start = today - timedelta(days=7)
    api = Api(s.staff, token=True)
    answer = api.get(
        f"/staff/packages/{s.package.public_id}/figures",
        {"start": start.isoformat(), "end": today.isoformat()},
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["total"] == 2
    assert {g["group"]: g["people"] for g in body["groups"]} == direct_count(
        s, ["elder"], start, today
    )
    default = api.get(f"/staff/packages/{s.package.public_id}/figures").json()
    assert default["end"] == today.isoformat() and default["total"] == 2
    assert (
        error(
            api.get(f"/staff/packages/{s.package.public_id}/figures", {"start": "9999-01-01"}), 422
        )["field"]
        == "start"
    )
    assert (
        error(
            api.get(
                f"/staff/packages/{s.package.public_id}/figures",
                {"start": today.isoformat(), "end": start.isoformat()},
            ),
            400,
        )["field"]
        == "end"
    )
