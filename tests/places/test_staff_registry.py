"""Staff keep the registry: regions, new centers, photos; and photos are served safely."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangqun.core.models import AuditEntry
from dangqun.people.models import StaffRole
from dangqun.places.models import Region, ServiceCenter
from tests import factories
from tests.clients import page_client

Role = StaffRole.Role
WEEK = {f"hours_{i}": "08:30-17:30" for i in range(7)}


def _png(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def _center_post(center, **changes):
    data = {
        "name": center.name,
        "name_en": center.name_en,
        "address": center.address,
        "latitude": str(center.latitude),
        "longitude": str(center.longitude),
        **WEEK,
    }
    data.update(changes)
    return data


@pytest.fixture
def client():
    """The pages in English, for reading their wording (as_person signs it in)."""
    return page_client()


@pytest.fixture
def street_admin(district, as_person):
    admin = factories.staff(Role.STREET_ADMIN, district.xianlin)
    as_person(admin)
    return admin


def test_street_admin_adds_a_village_under_own_street(client, district, street_admin):
    response = client.post(
        "/staff/regions/",
        {
            "parent": district.xianlin.pk,
            "level": "village",
            "name": "新村",
            "name_en": "New Village",
        },
    )
    assert response.status_code == 302
    village = Region.objects.get(name="新村")
    assert village.path == f"{district.xianlin.path}{village.pk}/"
    assert AuditEntry.objects.filter(action="region.create", object_id=str(village.pk)).exists()


def test_street_admin_cannot_add_under_another_street(client, district, street_admin):
    response = client.post(
        "/staff/regions/", {"parent": district.cangqian.pk, "level": "village", "name": "外村"}
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Region.objects.filter(name="外村").exists()


def test_a_street_cannot_sit_under_a_village(client, district, street_admin):
    response = client.post(
        "/staff/regions/", {"parent": district.minfeng.pk, "level": "street", "name": "错街道"}
    )
    assert "level" in response.context["form"].errors
    assert not Region.objects.filter(name="错街道").exists()


def test_center_staff_may_not_manage_regions(client, as_person, district):
    staff = factories.staff(Role.CENTER_STAFF, district.xianlin, district.xianlin_center)
    as_person(staff)
    assert client.get("/staff/regions/").status_code == 404
    assert client.get("/staff/centers/new/").status_code == 404


def test_street_admin_creates_a_center_in_a_village(client, district, street_admin):
    data = {
        "region": district.minfeng.pk,
        "name": "民丰村党群服务站",
        "name_en": "Minfeng Station",
        "address": "民丰村",
        "latitude": "30.25",
        "longitude": "119.97",
        **WEEK,
    }
    response = client.post("/staff/centers/new/", data)
    center = ServiceCenter.objects.get(name="民丰村党群服务站")
    assert response.status_code == 302 and response["Location"] == f"/staff/centers/{center.slug}/"
    assert center.slug == "minfeng-station"
    assert center.region == district.minfeng


def test_center_creation_with_bad_coordinates_saves_nothing(client, district, street_admin):
    data = {
        "region": district.minfeng.pk,
        "name": "坏站",
        "address": "民丰村",
        "latitude": "30.25",
        "longitude": "200",
        **WEEK,
    }
    response = client.post("/staff/centers/new/", data)
    assert "longitude" in response.context["form"].errors
    assert not ServiceCenter.objects.filter(name="坏站").exists()


def test_photo_upload_is_stored_under_a_random_name_and_served(client, district, street_admin):
    center = district.xianlin_center
    upload = SimpleUploadedFile("张三的身份证.png", _png(), content_type="image/png")
    response = client.post(f"/staff/centers/{center.slug}/", _center_post(center, photo=upload))
    assert response.status_code == 302
    center.refresh_from_db()
    assert center.photo.name.startswith("centers/") and "张三" not in center.photo.name
    served = client.get(center.photo.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == _png()
    assert "xianlin" in client.get("/centers/xianlin/").content.decode()


def test_disguised_photo_is_refused_and_nothing_changes(client, district, street_admin):
    center = district.xianlin_center
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post(
        f"/staff/centers/{center.slug}/", _center_post(center, name="改过的名字", photo=fake)
    )
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    center.refresh_from_db()
    assert center.name != "改过的名字" and not center.photo


def test_media_view_serves_only_public_photo_folders(client, settings, district):
    private = settings.MEDIA_ROOT / "private"
    private.mkdir(parents=True)
    (private / "secret.txt").write_text("secret")
    assert client.get("/media/private/secret.txt").status_code == 404
    assert client.get("/media/centers/../private/secret.txt").status_code == 404
    assert client.get("/media/centers/missing.png").status_code == 404


def test_api_admin_creates_region_and_center(client, district, street_admin):
    region = client.post(
        "/api/v1/staff/regions",
        {"parent_id": district.xianlin.pk, "level": "community", "name": "新社区"},
        content_type="application/json",
    )
    assert region.status_code == 201, region.content
    center = client.post(
        "/api/v1/staff/centers",
        {
            "region_id": region.json()["id"],
            "name": "新社区服务站",
            "address": "新社区",
            "latitude": "30.2",
            "longitude": "119.9",
            "opening_hours": ["24h"] * 7,
        },
        content_type="application/json",
    )
    assert center.status_code == 201, center.content
    assert center.json()["region"]["name"] == "新社区"
    outside = client.post(
        "/api/v1/staff/regions",
        {"parent_id": district.cangqian.pk, "level": "community", "name": "外社区"},
        content_type="application/json",
    )
    assert outside.status_code == 404


def test_space_photo_upload_and_oversize_refusal(client, district, street_admin, settings):
    space = factories.SpaceFactory(center=district.xianlin_center, name="创客空间")
    data = {"name": space.name, "kind": "maker_space", "capacity": "20"}
    ok = client.post(
        f"/staff/spaces/{space.pk}/",
        {**data, "photo": SimpleUploadedFile("a.png", _png(), "image/png")},
    )
    assert ok.status_code == 302
    space.refresh_from_db()
    first = space.photo.name
    assert first.startswith("spaces/") and first.endswith(".png")
    huge = SimpleUploadedFile("big.png", _png() + b"\0" * (5 * 1024 * 1024), "image/png")
    refused = client.post(f"/staff/spaces/{space.pk}/", {**data, "capacity": "30", "photo": huge})
    assert "photo" in refused.context["form"].errors
    space.refresh_from_db()
    assert space.photo.name == first and space.capacity == 20
