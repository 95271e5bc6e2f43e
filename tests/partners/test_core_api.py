"""The partners' API over HTTP: public (/api/v1/partners/: no contact data; brands) and
staff (/api/v1/staff/partners/: list, create, get, update, end, agreements, receipts in
multipart with evidence, sub-brands, brands, merge). Scoped (another street's staff 404),
the contact masked outside the partner's region, bad input refused naming the field, unknown
ids 404, never a 500."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangqun.core.models import AuditEntry
from dangqun.partners import services
from dangqun.partners.models import Partner, Receipt, SubBrand
from tests import factories
from tests.clients import Api, error

from .pcore import MOBILE, PDF, partner_data, png_bytes, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

OTHER = "13700002222"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def staff_api(person, **kwargs) -> Api:
    return Api(person, base="/staff/partners", **kwargs)


def payload(tree, **overrides) -> dict:
    return {
        "name": "闲富门诊",
        "name_en": "Xianfu Clinic",
        "kind": "clinic",
        "region": tree.xianlin.pk,
        "centers": ["xianlin"],
        "contact_name": "赵医生",
        "contact_mobile": "13700001111",
        "description": "义诊",
        **overrides,
    }


# --- public -----------------------------------------------------------------------------------


def test_public_partners_and_brands_without_contact(world):
    made = factories.sub_brand(world.partner, world.tree.xianlin_center)
    factories.activity(
        world.tree.xianlin_center, partner=world.partner, sub_brand=made, title="义诊"
    )
    factories.partner(world.tree.xianlin_center, name="已结束", status="ended")
    brand = services.brand_create(
        actor=world.district_admin,
        data={"name": "党建聚力·红暖未来", "region": world.tree.district, "sub_brands": [made]},
    )
    api = Api()
    listing = api.get("/partners/")
    assert listing.status_code == 200
    assert [p["name"] for p in listing.json()] == ["浙江外国语学院"]
    assert listing.json()[0]["centers"] == [{"slug": "xianlin", "name": "Xianlin Center"}]
    one = api.get(f"/partners/{world.partner.public_id}")
    assert one.status_code == 200
    body = one.json()
    assert body["sub_brands"][0]["name"] == "学长帮帮团"
    assert body["upcoming"][0]["title"] == "义诊"
    assert body["upcoming"][0]["url"].startswith("http://testserver/activities/")
    for response in (listing, one):
        assert MOBILE not in response.content.decode()
        assert "contact" not in response.content.decode()
    brands = api.get("/partners/brands/")
    assert brands.status_code == 200 and brands.json()[0]["name"] == "党建聚力·红暖未来"
    detail = api.get(f"/partners/brands/{brand.public_id}")
    assert detail.status_code == 200
    assert detail.json()["sub_brands"][0]["public_id"] == str(made.public_id)
    assert {c["slug"] for c in detail.json()["centers"]} == {"xianlin", "cangqian"}
    assert detail.json()["activities"][0]["title"] == "义诊"


@pytest.mark.parametrize(
    "path",
    [
        f"/partners/{UNKNOWN}",
        "/partners/not-a-uuid",
        f"/partners/brands/{UNKNOWN}",
        "/partners/brands/%F0%9F%98%80",
        "/partners/" + "9" * 40,
    ],
)
def test_public_unknown_ids_are_404(world, path):
    error(Api().get(path), 404)


# --- staff: partners --------------------------------------------------------------------------


def test_staff_create_get_update_and_list(world):
    api = staff_api(world.xianlin_staff)
    created = api.post("/", payload(world.tree))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["contact_mobile"] == "13700001111" and body["may_manage"] is True
    public_id = body["public_id"]
    got = api.get(f"/{public_id}")
    assert got.status_code == 200
    assert got.json()["agreements"] == [] and got.json()["centers"][0]["slug"] == "xianlin"
    updated = api.put(f"/{public_id}", payload(world.tree, name="闲富门诊部"))
    assert updated.status_code == 200 and updated.json()["name"] == "闲富门诊部"
    listing = api.get("/")
    assert {p["name"] for p in listing.json()} == {"浙江外国语学院", "闲富门诊部"}
    assert api.get("/", {"status": "ended"}).json() == []
    error(api.get("/", {"status": "gone"}), 422)
    assert AuditEntry.objects.filter(action="partner.update").count() == 1


def test_staff_api_token_works_too(world):
    response = staff_api(world.xianlin_staff, token=True).get("/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("field", "overrides", "status"),
    [
        ("contact_mobile", {"contact_mobile": "555"}, 400),
        ("centers", {"centers": ["cangqian"]}, 400),
        ("centers", {"centers": []}, 400),
        ("region", {"region": 999999}, 400),
        ("kind", {"kind": "bank"}, 422),
        ("name", {"name": "\x01"}, 400),
        ("name", {"name": "x" * 121}, 422),
        ("region", {"region": 10**30}, 400),
        ("name", {"name": "\ud800"}, 400),
        ("description", {"description": "x" * 3_000_000}, 422),
    ],
)
def test_bad_partner_input_names_the_field(world, field, overrides, status):
    response = staff_api(world.xianlin_staff).post("/", payload(world.tree, **overrides))
    body = error(response, status)
    assert body["field"] is not None and field in body["field"], body
    assert not Partner.objects.filter(name="闲富门诊").exists()


def test_another_streets_staff_get_404_and_a_resident_404_and_a_visitor_401(world):
    other = staff_api(world.cangqian_staff)
    path = f"/{world.partner.public_id}"
    error(other.get(path), 404)
    error(other.put(path, payload(world.tree)), 404)
    error(other.post(f"{path}/end", {}), 404)
    error(other.get(f"{path}/agreements"), 404)
    error(staff_api(factories.PersonFactory()).get("/"), 404)
    error(staff_api(None).get("/"), 401)


def test_the_contact_is_masked_outside_the_region(world):
    district_partner = services.partner_create(
        actor=world.district_admin,
        data=partner_data(
            world.tree, name="闲富门诊", region=world.tree.district, contact_mobile=OTHER
        ),
    )
    api = staff_api(world.xianlin_staff)
    body = api.get(f"/{district_partner.public_id}").json()
    assert body["contact_mobile"] == "137****2222" and body["contact_masked"] is True
    assert body["may_manage"] is False
    assert OTHER not in api.get("/").content.decode()
    error(api.put(f"/{district_partner.public_id}", payload(world.tree)), 404)
    body = error(api.post(f"/{district_partner.public_id}/contact", {"reason": " "}), 422)
    assert body["field"] == "reason"
    shown = api.post(f"/{district_partner.public_id}/contact", {"reason": "安排义诊"})
    assert shown.status_code == 200 and shown.json() == {"contact_mobile": OTHER}
    entry = AuditEntry.objects.get(action="partner.reveal_contact")
    assert entry.actor_id == world.xianlin_staff.pk and entry.data == {"reason": "安排义诊"}
    error(
        staff_api(world.cangqian_staff).post(
            f"/{district_partner.public_id}/contact", {"reason": "x"}
        ),
        404,
    )
    assert (
        staff_api(world.district_admin)
        .get(f"/{district_partner.public_id}")
        .json()["contact_mobile"]
        == OTHER
    )


def test_end_and_merge(world):
    api = staff_api(world.xianlin_staff)
    old = factories.partner(world.tree.xianlin_center, name="浙外旧", from_old_data=True)
    item = factories.service_item(world.tree.xianlin_center, partner=old)
    error(api.post(f"/{world.partner.public_id}/merge", {"merged": "nope"}), 422)
    error(api.post(f"/{world.partner.public_id}/merge", {"merged": UNKNOWN}), 404)
    body = error(
        api.post(f"/{world.partner.public_id}/merge", {"merged": str(world.partner.public_id)}),
        400,
    )
    assert body["field"] == "merged"
    merged = api.post(f"/{world.partner.public_id}/merge", {"merged": str(old.public_id)})
    assert merged.status_code == 200, merged.content
    item.refresh_from_db()
    assert item.partner == world.partner
    assert api.get(f"/{old.public_id}").json()["merged_into"] == str(world.partner.public_id)
    error(api.post(f"/{world.partner.public_id}/end", {"ended_on": "9999-01-01"}), 422)
    ended = api.post(f"/{world.partner.public_id}/end", {})
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert error(api.post(f"/{world.partner.public_id}/end", {}), 400)["field"] == "status"


# --- staff: agreements and receipts -------------------------------------------------------------


def test_agreements_through_the_api(world):
    api = staff_api(world.xianlin_staff)
    path = f"/{world.partner.public_id}/agreements"
    made = api.post(
        path,
        {
            "start": "2026-01-01",
            "end": "2026-12-31",
            "pledged_hours": "100.5",
            "pledged_sessions": 12,
            "pledged_money": 3000,
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["pledged_money"] == "3000.00"
    agreement_id = made.json()["id"]
    changed = api.put(f"{path}/{agreement_id}", {"start": "2026-01-01", "end": "2026-06-30"})
    assert changed.status_code == 200 and changed.json()["end"] == "2026-06-30"
    assert len(api.get(path).json()) == 1
    error(api.put(f"{path}/999999", {"start": "2026-01-01", "end": "2026-06-30"}), 404)
    error(api.put(f"{path}/{10**30}", {"start": "2026-01-01", "end": "2026-06-30"}), 404)


@pytest.mark.parametrize(
    ("field", "data", "status"),
    [
        ("end", {"start": "2026-06-01", "end": "2026-01-01"}, 400),
        ("pledged_money", {"pledged_money": "-1"}, 400),
        ("pledged_hours", {"pledged_hours": -2}, 400),
        ("pledged_sessions", {"pledged_sessions": -1}, 400),
        ("pledged_sessions", {"pledged_sessions": 10**30}, 400),
        ("pledged_money", {"pledged_money": "1" * 30}, 400),
        ("pledged_money", {"pledged_money": "NaN"}, 422),
        ("pledged_money", {"pledged_money": "abc"}, 422),
        ("start", {"start": "9999-01-01"}, 422),
        ("text", {"text": "\x07"}, 400),
    ],
)
def test_bad_agreements_name_the_field(world, field, data, status):
    body = error(
        staff_api(world.xianlin_staff).post(
            f"/{world.partner.public_id}/agreements",
            {"start": "2026-01-01", "end": "2026-12-31", **data},
        ),
        status,
    )
    assert body["field"] and field in body["field"], body


def test_receipts_in_multipart_with_evidence(world):
    api = staff_api(world.xianlin_staff)
    path = f"/{world.partner.public_id}/receipts"
    fields = {
        "kind": "goods",
        "received_on": timezone.localdate().isoformat(),
        "amount": "450.00",
        "description": "图书一批",
    }
    body = error(api.post_multipart(path, fields), 400)
    assert body["field"] == "evidence"
    body = error(
        api.post_multipart(
            path, {**fields, "amount": "0", "evidence": SimpleUploadedFile("a.pdf", PDF)}
        ),
        400,
    )
    assert body["field"] == "amount"
    late = (timezone.localdate() + timedelta(days=3)).isoformat()
    body = error(
        api.post_multipart(
            path, {**fields, "received_on": late, "evidence": SimpleUploadedFile("a.pdf", PDF)}
        ),
        400,
    )
    assert body["field"] == "received_on"
    made = api.post_multipart(
        path, {**fields, "evidence": SimpleUploadedFile("a.png", png_bytes())}
    )
    assert made.status_code == 201, made.content
    assert made.json()["amount"] == "450.00"
    evidence_url = made.json()["evidence_url"]
    assert evidence_url.startswith("http://testserver/api/v1/staff/partners/")
    got = api.client.get(evidence_url.removeprefix("http://testserver"))
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    other = staff_api(world.cangqian_staff)
    error(other.client.get(evidence_url.removeprefix("http://testserver")), 404)
    error(api.get(f"{path}/{made.json()['id'] + 1}/evidence"), 404)
    assert len(api.get(path).json()) == 1
    assert Receipt.objects.count() == 1


# --- staff: sub-brands and brands ---------------------------------------------------------------


def test_sub_brands_and_brands_through_the_api(world):
    api = staff_api(world.xianlin_staff)
    path = f"/{world.partner.public_id}/sub-brands"
    body = error(api.post(path, {"name": "夏天织帽子", "center": "cangqian"}), 400)
    assert body["field"] == "center"
    made = api.post(path, {"name": "学长帮帮团", "center": "xianlin", "description": "辅导"})
    assert made.status_code == 201, made.content
    public_id = made.json()["public_id"]
    assert api.get(f"/sub-brands/{public_id}").json()["center"] == "xianlin"
    changed = api.put(f"/sub-brands/{public_id}", {"name": "学长帮", "center": "xianlin"})
    assert changed.status_code == 200 and changed.json()["name"] == "学长帮"
    logo = api.post_multipart(
        f"/sub-brands/{public_id}/logo", {"logo": SimpleUploadedFile("l.png", png_bytes())}
    )
    assert logo.status_code == 200 and logo.json()["logo_url"]
    assert AuditEntry.objects.filter(action="sub_brand.set_logo").count() == 1
    body = error(api.post_multipart(f"/sub-brands/{public_id}/logo", {}), 400)
    assert body["field"] == "logo"
    brand = api.post(
        "/brands/", {"name": "闲林品牌", "region": world.tree.xianlin.pk, "sub_brands": [public_id]}
    )
    assert brand.status_code == 201, brand.content
    assert brand.json()["sub_brands"][0]["public_id"] == public_id
    brand_id = brand.json()["public_id"]
    assert api.get(f"/brands/{brand_id}").status_code == 200
    assert [b["public_id"] for b in api.get("/brands/").json()] == [brand_id]
    updated = api.put(f"/brands/{brand_id}", {"name": "闲林品牌2", "region": world.tree.xianlin.pk})
    assert updated.status_code == 200 and len(updated.json()["sub_brands"]) == 1
    body = error(api.post("/brands/", {"name": "x", "region": world.tree.cangqian.pk}), 400)
    assert body["field"] == "region"
    body = error(
        api.post("/brands/", {"name": "x", "region": world.tree.xianlin.pk, "sub_brands": ["bad"]}),
        422,
    )
    assert "sub_brands" in body["field"]
    ended = api.post(f"/sub-brands/{public_id}/end")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert SubBrand.objects.get().status == "ended"
    error(staff_api(world.cangqian_staff).get(f"/sub-brands/{public_id}"), 404)
    error(staff_api(world.cangqian_staff).get(f"/brands/{brand_id}"), 404)
    error(api.get(f"/sub-brands/{UNKNOWN}"), 404)
    error(api.get(f"/brands/{UNKNOWN}"), 404)


def test_the_lists_run_a_fixed_number_of_queries(world):
    from tests.clients import count_queries

    public, staff = Api(), staff_api(world.district_admin)

    def fetch():
        assert public.get("/partners/").status_code == 200
        assert public.get("/partners/brands/").status_code == 200
        assert staff.get("/").status_code == 200

    fetch()
    few, _ = count_queries(fetch)
    for n in range(4):
        made = factories.partner(world.tree.xianlin_center, name=f"单位{n}")
        factories.sub_brand(made, world.tree.xianlin_center, name=f"子品牌{n}")
    many, _ = count_queries(fetch)
    assert many == few
