"""The partners' pages over HTTP: the back office (/staff/partners/: list with its status
filter and the "from old data" badge, a new partner, its page, agreements, receipts and
their evidence, sub-brands, merging, ending, brands), scoping (another street's staff get
404), the contact masked to staff outside the partner's region (and shown, audited, with a
reason), and the public pages (/partners/, /brands/) that show no contact data."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangqun.core.models import AuditEntry
from dangqun.partners import services
from dangqun.partners.models import Agreement, Partner, Receipt, SubBrand
from tests import factories
from tests.clients import count_queries, page_client

from .pcore import MOBILE, PDF, partner_data, png_bytes, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

BASE = "/staff/partners"
ZISU = "Zhejiang International Studies University"  # the partner's English name


def text(response) -> str:
    return response.content.decode()


def detail(partner) -> str:
    return f"{BASE}/{partner.public_id}/"


# --- the list, scoping, masking -----------------------------------------------------------------


def test_the_staff_home_links_to_partners(world):
    response = page_client(world.xianlin_staff).get("/staff/")
    assert f'href="{BASE}/"' in text(response)


def test_the_list_shows_my_partners_with_status_filter_and_old_data_badge(world):
    old = factories.partner(world.tree.xianlin_center, name="旧数据单位", from_old_data=True)
    ended = factories.partner(world.tree.xianlin_center, name="已结束单位", status="ended")
    client = page_client(world.xianlin_staff)
    page = text(client.get(f"{BASE}/"))
    assert ZISU in page and "旧数据单位" in page and "已结束单位" not in page
    assert f'id="partner-{old.public_id}"' in page and "from old data" in page
    page = text(client.get(f"{BASE}/?status=ended"))
    assert "已结束单位" in page and ZISU not in page
    assert ended.public_id
    assert client.get(f"{BASE}/?status=%00").status_code in (200, 400)


def test_another_streets_staff_cannot_see_the_partner(world):
    client = page_client(world.cangqian_staff)
    assert ZISU not in text(client.get(f"{BASE}/"))
    assert client.get(detail(world.partner)).status_code == 404
    assert client.get(f"{detail(world.partner)}edit/").status_code == 404
    assert client.post(f"{detail(world.partner)}end/", {"confirm": "on"}).status_code == 404
    assert client.get(f"{BASE}/{factories.PersonFactory().public_id}/").status_code == 404


def test_a_resident_and_a_visitor_get_no_back_office(world):
    assert page_client(factories.PersonFactory()).get(f"{BASE}/").status_code == 404
    assert page_client().get(f"{BASE}/").status_code == 302


def test_the_contact_is_full_in_the_region_and_masked_outside(world):
    district_partner = services.partner_create(
        actor=world.district_admin,
        data=partner_data(world.tree, name="闲富门诊", region=world.tree.district),
    )
    # Xianlin's staff see the district's partner (it co-builds with their center), masked.
    client = page_client(world.xianlin_staff)
    page = text(client.get(detail(district_partner)))
    assert "139****5678" in page and MOBILE not in page
    assert "Show mobile number" in page
    assert "139****5678" in text(client.get(f"{BASE}/"))
    # ... and cannot change it.
    assert client.get(f"{detail(district_partner)}edit/").status_code == 404
    # Their own partner, in full.
    assert MOBILE in text(client.get(detail(world.partner)))
    # The district sees every partner in full.
    assert MOBILE in text(page_client(world.district_admin).get(detail(district_partner)))


def test_showing_the_full_number_needs_a_reason_and_is_audited(world):
    district_partner = services.partner_create(
        actor=world.district_admin,
        data=partner_data(world.tree, name="闲富门诊", region=world.tree.district),
    )
    client = page_client(world.xianlin_staff)
    url = f"{detail(district_partner)}contact/"
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and MOBILE not in text(refused)
    shown = client.post(url, {"reason": "联系义诊安排"})
    assert shown.status_code == 200 and MOBILE in text(shown)
    entry = AuditEntry.objects.get(action="partner.reveal_contact")
    assert entry.actor_id == world.xianlin_staff.pk and entry.data == {"reason": "联系义诊安排"}
    assert client.get(url).status_code == 405


def test_the_list_runs_a_fixed_number_of_queries(world):
    client = page_client(world.district_admin)
    client.get(f"{BASE}/")
    few, _response = count_queries(lambda: client.get(f"{BASE}/"))
    for n in range(5):
        factories.partner(world.tree.xianlin_center, name=f"单位{n}")
    many, _response = count_queries(lambda: client.get(f"{BASE}/"))
    assert many == few


# --- create, edit, end, merge -------------------------------------------------------------------


def form(tree, **overrides) -> dict:
    return {
        "name": "蚂蚁公益",
        "name_en": "Ant charity",
        "kind": "enterprise",
        "region": str(tree.xianlin.pk),
        "centers": ["xianlin"],
        "contact_name": "李经理",
        "contact_mobile": "139 0000 1111",
        "description": "",
        **overrides,
    }


def test_staff_create_and_edit_a_partner(world):
    client = page_client(world.xianlin_staff)
    assert client.get(f"{BASE}/new/").status_code == 200
    response = client.post(f"{BASE}/new/", form(world.tree))
    made = Partner.objects.get(name="蚂蚁公益")
    assert response.status_code == 302 and response["Location"] == detail(made)
    assert made.contact_mobile == "13900001111" and made.created_by == world.xianlin_staff
    assert client.get(f"{detail(made)}edit/").status_code == 200
    response = client.post(f"{detail(made)}edit/", form(world.tree, name="蚂蚁集团公益"))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.name == "蚂蚁集团公益"
    assert AuditEntry.objects.filter(action="partner.update", object_id=str(made.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contact_mobile": "12345"}, "mainland mobile"),
        ({"centers": ["cangqian"]}, "Select a valid choice"),
        ({"name": ""}, "required"),
        ({"region": str(10**30)}, "Select a valid choice"),
        ({"name": "坏\x01"}, ""),
    ],
)
def test_bad_partner_forms_are_refused_beside_the_field(world, overrides, message):
    response = page_client(world.xianlin_staff).post(f"{BASE}/new/", form(world.tree, **overrides))
    assert response.status_code == 400
    assert message in text(response)
    assert not Partner.objects.filter(name="蚂蚁公益").exists()


def test_a_center_outside_the_region_is_refused_on_centers(world):
    response = page_client(world.district_admin).post(
        f"{BASE}/new/", form(world.tree, centers=["cangqian"])
    )
    assert response.status_code == 400
    assert "within the partnership" in text(response)


def test_ending_needs_the_confirmation(world):
    client = page_client(world.xianlin_staff)
    url = f"{detail(world.partner)}end/"
    assert client.post(url, {}).status_code == 400
    world.partner.refresh_from_db()
    assert world.partner.status == "active"
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    world.partner.refresh_from_db()
    assert world.partner.status == "ended" and world.partner.ended_on == timezone.localdate()
    page = text(client.get(detail(world.partner)))
    assert "End the partnership" not in page


def test_merge_form_lists_the_other_partners_in_scope_and_merges(world):
    old = factories.partner(world.tree.xianlin_center, name="浙外旧", from_old_data=True)
    foreign = factories.partner(world.tree.cangqian_center, name="仓前单位")
    activity = factories.activity(world.tree.xianlin_center, partner=old)
    client = page_client(world.xianlin_staff)
    page = text(client.get(detail(world.partner)))
    assert str(old.public_id) in page and str(foreign.public_id) not in page
    refused = client.post(f"{detail(world.partner)}merge/", {"merged": str(foreign.public_id)})
    assert refused.status_code == 400
    response = client.post(f"{detail(world.partner)}merge/", {"merged": str(old.public_id)})
    assert response.status_code == 302
    activity.refresh_from_db()
    old.refresh_from_db()
    assert activity.partner == world.partner and old.merged_into == world.partner
    assert "merged into" in text(client.get(f"{BASE}/?status=ended"))


# --- agreements, receipts, sub-brands ------------------------------------------------------------


def test_agreements_are_entered_and_refused_beside_the_field(world):
    client = page_client(world.xianlin_staff)
    url = f"{detail(world.partner)}agreements/new/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"start": "2026-06-01", "end": "2026-05-01"})
    assert bad.status_code == 400 and "cannot end before it starts" in text(bad)
    bad = client.post(url, {"start": "2026-01-01", "end": "2026-12-31", "pledged_money": "-100"})
    assert bad.status_code == 400 and "cannot be negative" in text(bad)
    assert 'id="id_pledged_money_error"' in text(bad)
    good = client.post(
        url,
        {
            "start": "2026-01-01",
            "end": "2026-12-31",
            "pledged_hours": "120",
            "pledged_sessions": "10",
            "pledged_money": "8000",
            "text": "每月义诊",
        },
    )
    assert good.status_code == 302
    made = Agreement.objects.get(partner=world.partner)
    assert str(made.pledged_money) == "8000.00"
    page = text(client.get(detail(world.partner)))
    assert "¥8,000.00" in page and "2026-01-01" in page
    edit = f"{detail(world.partner)}agreements/{made.pk}/edit/"
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"start": "2026-01-01", "end": "2027-01-01"}).status_code == 302
    made.refresh_from_db()
    assert made.end == date(2027, 1, 1)
    assert client.get(f"{detail(world.partner)}agreements/999999/edit/").status_code == 404


def test_receipts_need_evidence_served_only_to_staff_in_scope(world):
    client = page_client(world.xianlin_staff)
    url = f"{detail(world.partner)}receipts/new/"
    fields = {
        "kind": "money",
        "received_on": timezone.localdate().isoformat(),
        "amount": "300",
        "description": "助学金",
    }
    missing = client.post(url, fields)
    assert missing.status_code == 400 and "evidence" in text(missing)
    evidence = SimpleUploadedFile("收据.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {**fields, "evidence": evidence}).status_code == 302
    receipt = Receipt.objects.get()
    link = f"{detail(world.partner)}receipts/{receipt.pk}/evidence"
    assert link in text(client.get(detail(world.partner)))
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert page_client(world.cangqian_staff).get(link).status_code == 404
    assert page_client().get(link).status_code == 302
    assert (
        client.get(f"{detail(world.partner)}receipts/{receipt.pk + 1}/evidence").status_code == 404
    )


def test_sub_brands_created_with_a_logo_edited_and_ended(world):
    client = page_client(world.xianlin_staff)
    url = f"{detail(world.partner)}sub-brands/new/"
    assert client.get(url).status_code == 200
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = client.post(url, {"name": "学长帮帮团", "center": "xianlin", "logo": logo})
    assert response.status_code == 302
    made = SubBrand.objects.get()
    assert made.logo
    bad = client.post(
        url, {"name": "x", "center": "xianlin", "logo": SimpleUploadedFile("a.png", b"no")}
    )
    assert bad.status_code == 400 and 'id="id_logo_error"' in text(bad)
    edit = f"{BASE}/sub-brands/{made.public_id}/edit/"
    assert client.post(edit, {"name": "学长帮帮团·新", "center": "xianlin"}).status_code == 302
    made.refresh_from_db()
    assert made.name == "学长帮帮团·新"
    end = f"{BASE}/sub-brands/{made.public_id}/end/"
    client.post(end, {})
    made.refresh_from_db()
    assert made.status == "active"
    client.post(end, {"confirm": "1"})
    made.refresh_from_db()
    assert made.status == "ended"
    assert page_client(world.cangqian_staff).get(edit).status_code == 404


def test_a_sub_brand_form_offers_only_the_partners_centers(world):
    response = page_client(world.district_admin).post(
        f"{detail(world.partner)}sub-brands/new/", {"name": "x", "center": "cangqian"}
    )
    assert response.status_code == 400
    assert not SubBrand.objects.exists()


def test_brands_list_create_and_edit(world):
    made = factories.sub_brand(world.partner, world.tree.xianlin_center)
    client = page_client(world.district_admin)
    assert client.get(f"{BASE}/brands/").status_code == 200
    assert client.get(f"{BASE}/brands/new/").status_code == 200
    response = client.post(
        f"{BASE}/brands/new/",
        {
            "name": "党建聚力·红暖未来",
            "region": str(world.tree.district.pk),
            "sub_brands": [str(made.public_id)],
        },
    )
    assert response.status_code == 302
    made.refresh_from_db()
    brand = made.brand
    assert brand.name == "党建聚力·红暖未来"
    assert "党建聚力·红暖未来" in text(client.get(f"{BASE}/brands/"))
    edit = f"{BASE}/brands/{brand.public_id}/edit/"
    assert (
        client.post(edit, {"name": "红暖未来", "region": str(world.tree.district.pk)}).status_code
        == 302
    )
    bad = client.post(edit, {"name": "红暖未来", "region": str(world.tree.minfeng.pk)})
    assert bad.status_code == 400
    # A street's staff see their street's brands, not the district's.
    assert page_client(world.cangqian_staff).get(edit).status_code == 404


# --- public pages -------------------------------------------------------------------------------


def test_public_pages_show_partners_sub_brands_and_activities_without_contact(world):
    made = factories.sub_brand(world.partner, world.tree.xianlin_center, description="作业辅导")
    activity = factories.activity(
        world.tree.xianlin_center, partner=world.partner, sub_brand=made, title="周末辅导"
    )
    ended = factories.partner(world.tree.xianlin_center, name="已结束单位", status="ended")
    client = page_client()
    listing = text(client.get("/partners/"))
    assert ZISU in listing and "已结束单位" not in listing
    assert "University" in listing
    page = client.get(f"/partners/{world.partner.public_id}/")
    assert page.status_code == 200
    body = text(page)
    assert "学长帮帮团" in body and "作业辅导" in body
    assert "周末辅导" in body and f"/activities/{activity.public_id}/" in body
    for secret in (MOBILE, "139****5678", "王老师"):
        assert secret not in body and secret not in listing
    assert client.get(f"/partners/{ended.public_id}/").status_code == 404
    # The activity's page links its partner's page.
    activity_page = text(client.get(f"/activities/{activity.public_id}/"))
    assert f'href="/partners/{world.partner.public_id}/"' in activity_page
    assert client.get(f"/partners/{made.public_id}/").status_code == 404


def test_public_brand_pages(world):
    made = factories.sub_brand(world.partner, world.tree.xianlin_center)
    brand = services.brand_create(
        actor=world.district_admin,
        data={"name": "党建聚力·红暖未来", "region": world.tree.district, "sub_brands": [made]},
    )
    factories.activity(
        world.tree.xianlin_center, sub_brand=made, partner=world.partner, title="义诊"
    )
    factories.service_item(
        world.tree.xianlin_center, partner=world.partner, sub_brand=made, name="上门辅导"
    )
    client = page_client()
    assert "党建聚力·红暖未来" in text(client.get("/brands/"))
    body = text(client.get(f"/brands/{brand.public_id}/"))
    assert "学长帮帮团" in body and "义诊" in body and "上门辅导" in body
    assert "Xianlin Center" in body and "Cangqian Center" in body
    assert MOBILE not in body
    assert client.get(f"/brands/{world.partner.public_id}/").status_code == 404


def test_the_public_pages_read_in_chinese(world):
    response = page_client(language="zh-hans").get("/partners/")
    assert response.status_code == 200 and "浙江外国语学院" in text(response)


def test_the_public_lists_run_a_fixed_number_of_queries(world):
    client = page_client()
    brand = services.brand_create(
        actor=world.district_admin, data={"name": "红暖未来", "region": world.tree.district}
    )
    first = factories.sub_brand(world.partner, world.tree.xianlin_center)
    first.brand = brand
    first.save()

    def fetch():
        for url in ("/partners/", "/brands/", f"/brands/{brand.public_id}/"):
            assert client.get(url).status_code == 200

    fetch()
    few, _ = count_queries(fetch)
    for n in range(4):
        made = factories.partner(world.tree.xianlin_center, name=f"单位{n}")
        sub = factories.sub_brand(made, world.tree.xianlin_center, name=f"子品牌{n}")
        sub.brand = brand
        sub.save()
    many, _ = count_queries(fetch)
    assert many == few


def test_the_sub_brand_form_offers_the_brands_of_the_district_and_its_street(world):
    district_brand = services.brand_create(
        actor=world.district_admin, data={"name": "红暖未来", "region": world.tree.district}
    )
    cangqian_brand = services.brand_create(
        actor=world.cangqian_staff, data={"name": "幸福满仓", "region": world.tree.cangqian}
    )
    page = text(page_client(world.xianlin_staff).get(f"{detail(world.partner)}sub-brands/new/"))
    assert str(district_brand.public_id) in page
    assert str(cangqian_brand.public_id) not in page


def test_the_menu_links_partners_and_brands(world):
    page = text(page_client().get("/menu/"))
    assert 'href="/partners/"' in page and 'href="/brands/"' in page


def test_a_merged_partners_public_page_points_to_the_one_kept(world):
    old = factories.partner(world.tree.xianlin_center, name="浙外旧")
    services.partner_merge(actor=world.xianlin_staff, keep=world.partner, merged=old)
    response = page_client().get(f"/partners/{old.public_id}/")
    assert response.status_code == 301
    assert response["Location"] == f"/partners/{world.partner.public_id}/"


def test_a_village_centers_staff_see_the_partners_of_their_center_masked(world):
    tree = world.tree
    village_center = factories.CenterFactory(region=tree.minfeng, slug="minfeng")
    village_staff = factories.staff("center_staff", tree.minfeng, center=village_center)
    data = partner_data(tree, centers=[tree.xianlin_center, village_center])
    services.partner_update(actor=world.xianlin_staff, partner=world.partner, data=data)
    elsewhere = factories.partner(tree.xianlin_center, name="只在街道中心")
    client = page_client(village_staff)
    listing = text(client.get(f"{BASE}/"))
    assert ZISU in listing and "只在街道中心" not in listing
    page = text(client.get(detail(world.partner)))
    assert "139****5678" in page and MOBILE not in page
    assert client.get(detail(elsewhere)).status_code == 404
    assert client.get(f"{detail(world.partner)}agreements/new/").status_code == 404
