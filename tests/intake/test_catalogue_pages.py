"""Staff add and change catalogue items in the browser (a form and repeated rows of extra
fields, no JavaScript); refusals beside the field, nothing saved unless all of it is; an
item that has requests keeps them readable. The API's PUT calls the same service."""

import pytest

from dangqun.intake.models import ServiceField, ServiceItem, ServiceRequest
from tests.clients import error
from tests.pages import error_box, field_error

from .conftest import GOOD_VALUES, intake_api, submit

pytestmark = pytest.mark.django_db

NEW = "/staff/intake/catalogue/new/"


def item_post(rows=(), initial=0, **item) -> dict:
    data = {
        "kind": "convenience",
        "name": "托育报名",
        "name_en": "Childcare enrolment",
        "description": "3岁以下婴幼儿托育",
        "unit": "林下小芽托育中心",
        "staff_group": "托育组",
        "materials": "户口本\n出生证明",
        "online": "on",
        "counter": "on",
        "time_limit_days": "7",
        **item,
    }
    rows = list(rows) + [{"datatype": "text"}]  # a row left as it came (empty): left out
    data.update(
        {
            "fields-TOTAL_FORMS": str(len(rows)),
            "fields-INITIAL_FORMS": str(initial),
            "fields-MIN_NUM_FORMS": "0",
            "fields-MAX_NUM_FORMS": "30",
        }
    )
    for n, row in enumerate(rows):
        row = {"datatype": "text", **row}
        for key, value in row.items():
            data[f"fields-{n}-{key}"] = value
    return data


ROWS = [
    {"label": "孩子月龄", "datatype": "number", "required": "on", "code": "age", "order": "1"},
    {"label": "时段", "datatype": "choice", "choices": "am = 上午\npm = 下午\n全天", "order": "2"},
    {"label": "有无过敏", "datatype": "bool"},
    {"label": "希望入托日期", "datatype": "date"},
    {"label": "备注", "datatype": "text", "help_text": "其他需要说明的情况"},
]


def test_center_staff_add_an_item_with_its_five_kinds_of_field(as_person, world):
    client = as_person(world.xianlin_staff)
    catalogue = client.get("/staff/intake/catalogue/").content.decode()
    assert NEW in catalogue and "/staff/intake/catalogue/party-transfer/edit/" in catalogue
    page = client.get(NEW).content.decode()
    assert 'value="center:xianlin"' in page and "region:" not in page  # no street or district
    assert 'name="fields-2-label"' in page  # rows to fill in, without JavaScript
    response = client.post(NEW, item_post(ROWS, owner="center:xianlin", code="childcare"))
    assert response.status_code == 302, error_box(response.content.decode())
    item = ServiceItem.objects.get(code="childcare")
    assert item.center == world.tree.xianlin_center and item.time_limit_days == 7
    assert item.materials == "户口本\n出生证明" and item.staff_group == "托育组"
    fields = list(item.fields.order_by("order", "id"))
    assert [(f.code, f.datatype, f.required) for f in fields][:2] == [
        ("age", "number", True),
        ("f1", "choice", False),
    ]
    assert [f.datatype for f in fields] == ["number", "choice", "bool", "date", "text"]
    assert fields[1].choices == [
        {"key": "am", "name": "上午"},
        {"key": "pm", "name": "下午"},
        {"key": "全天", "name": "全天"},
    ]
    # Offered at once: the resident's form asks the new questions.
    form = client.get("/intake/centers/xianlin/childcare/").content.decode()
    assert "孩子月龄" in form and "下午" in form


def test_refusals_beside_the_field_and_nothing_saved(as_person, world):
    client = as_person(world.xianlin_staff)
    before = ServiceItem.objects.count(), ServiceField.objects.count()
    page = client.post(NEW, item_post(ROWS, owner="center:xianlin", name=""))
    assert page.status_code == 400 and field_error(page.content.decode(), "name")
    rows = [*ROWS[:1], {"label": "时段", "datatype": "choice"}]
    page = client.post(NEW, item_post(rows, owner="center:xianlin"))
    assert field_error(page.content.decode(), "fields-1-choices")
    # Refused by the service (the same one as the API's): beside the row's field.
    twice = [ROWS[0], {**ROWS[2], "code": "age"}]
    page = client.post(NEW, item_post(twice, owner="center:xianlin"))
    assert page.status_code == 400 and field_error(page.content.decode(), "fields-1-code")
    page = client.post(NEW, item_post(ROWS, owner="center:xianlin", online="", counter=""))
    assert field_error(page.content.decode(), "online")
    page = client.post(NEW, item_post(ROWS, owner="center:xianlin", code="party-transfer"))
    assert field_error(page.content.decode(), "code")
    # A center's staff cannot offer it in the whole district, nor at another center.
    district = f"region:{world.tree.district.pk}"
    page = client.post(NEW, item_post(ROWS, owner=district))
    assert page.status_code == 400 and field_error(page.content.decode(), "owner")
    page = client.post(NEW, item_post(ROWS, owner="center:cangqian"))
    assert field_error(page.content.decode(), "owner")
    assert (ServiceItem.objects.count(), ServiceField.objects.count()) == before


def test_a_street_admin_offers_an_item_in_the_whole_street(as_person, world):
    client = as_person(world.street_admin)
    street = f"region:{world.tree.xianlin.pk}"
    assert f'value="{street}"' in client.get(NEW).content.decode()
    response = client.post(NEW, item_post(ROWS[:1], owner=street, code="street-childcare"))
    assert response.status_code == 302
    item = ServiceItem.objects.get(code="street-childcare")
    assert item.region == world.tree.xianlin and item.center is None
    # The center's staff see it offered, but do not change the street's item.
    staff = as_person(world.xianlin_staff)
    assert staff.get("/staff/intake/catalogue/street-childcare/edit/").status_code == 404


def test_changing_an_item_that_has_requests_keeps_them_readable(as_person, world):
    request = submit(world, values={**GOOD_VALUES, "since": "2001-07-01"})
    client = as_person(world.xianlin_staff)
    url = "/staff/intake/catalogue/party-transfer/edit/"
    page = client.get(url).content.decode()
    assert 'name="fields-0-code"' in page and "readonly" in page and "in = 转入" in page
    fields = {f.code: f for f in world.transfer.fields.all()}
    rows = [
        {
            "code": f.code,
            "label": f.label,
            "datatype": f.datatype,
            "required": "on" if f.required else "",
            "choices": "in = 转入\nout = 转出" if f.code == "direction" else "",
            "order": str(f.order),
        }
        for f in fields.values()
    ]
    n = {row["code"]: i for i, row in enumerate(rows)}

    def post(changed_rows, **item):
        data = item_post(changed_rows, initial=len(rows), name="党组织关系转接", **item)
        data["kind"] = "party_member_service"
        return client.post(url, data)

    # An answered field cannot go, change its type, or lose a chosen option.
    gone = [dict(row) for row in rows]
    gone[n["direction"]]["DELETE"] = "on"
    page = post(gone)
    assert page.status_code == 400 and "转接方向" in error_box(page.content.decode())
    retyped = [dict(row) for row in rows]
    retyped[n["months"]]["datatype"] = "text"
    page = post(retyped)
    assert field_error(page.content.decode(), f"fields-{n['months']}-datatype")
    dropped = [dict(row) for row in rows]
    dropped[n["direction"]]["choices"] = "out = 转出"
    page = post(dropped)
    assert field_error(page.content.decode(), f"fields-{n['direction']}-choices")
    assert (
        world.transfer.fields.count() == 5
        and ServiceItem.objects.get(pk=world.transfer.pk).name != "党组织关系转接"
    )
    # What may change does: the name, the unit, the time limit, a label, an option
    # renamed, the branch no longer required, a new field.
    changed = [dict(row) for row in rows]
    changed[n["branch"]].update(required="", label="所在党支部")
    changed[n["direction"]]["choices"] = "in = 转入本街道\nout = 转出"
    changed.append({"label": "联系电话", "datatype": "text", "code": "phone"})
    response = post(changed, unit="组织委员办公室", time_limit_days="3")
    assert response.status_code == 302, error_box(response.content.decode())
    item = ServiceItem.objects.get(pk=world.transfer.pk)
    assert (item.name, item.unit, item.time_limit_days) == ("党组织关系转接", "组织委员办公室", 3)
    assert item.fields.count() == 6 and not item.fields.get(code="branch").required
    # The request keeps its unit and due date, and its values read as before.
    kept = ServiceRequest.objects.get(pk=request.pk)
    assert kept.unit == request.unit and kept.due_date == request.due_date
    detail = client.get(f"/staff/intake/r/{request.number}/").content.decode()
    assert "民丰村党支部" in detail and "转入本街道" in detail and "2001-07-01" in detail
    # A field nobody answered may go.
    without = [dict(row) for row in changed]
    without[-1]["DELETE"] = "on"
    assert post(without).status_code == 302
    assert not item.fields.filter(code="phone").exists()


def test_other_centers_staff_cannot_change_it(as_person, world):
    client = as_person(world.cangqian_staff)
    assert client.get("/staff/intake/catalogue/party-transfer/edit/").status_code == 404
    assert client.post("/staff/intake/catalogue/party-transfer/edit/", {}).status_code == 404
    assert client.get("/staff/intake/catalogue/nothing/edit/").status_code == 404
    resident = as_person(world.resident)
    assert resident.get(NEW).status_code in (302, 403, 404)


def test_api_put_changes_an_item_through_the_same_service(world):
    submit(world)
    staff = intake_api(world.xianlin_staff)
    current = staff.get("/staff/items").json()
    item = next(i for i in current if i["code"] == "party-transfer")
    payload = {
        key: item[key]
        for key in (
            "name",
            "kind",
            "unit",
            "staff_group",
            "description",
            "materials",
            "online",
            "counter",
            "time_limit_days",
            "location_required",
        )
    }
    fields = [
        {k: f[k] for k in ("code", "label", "datatype", "required", "choices")}
        for f in item["fields"]
    ]
    months = next(i for i, f in enumerate(fields) if f["code"] == "months")
    retyped = [dict(f) for f in fields]
    retyped[months]["datatype"] = "date"
    refused = staff.put("/staff/items/party-transfer", {**payload, "fields": retyped})
    assert error(refused, 400)["field"] == f"fields.{months}.datatype"
    changed = staff.put(
        "/staff/items/party-transfer", {**payload, "unit": "新窗口", "fields": fields}
    )
    assert changed.status_code == 200 and changed.json()["unit"] == "新窗口"
    other = intake_api(world.cangqian_staff)
    missing = other.put("/staff/items/party-transfer", {**payload, "fields": fields})
    assert error(missing, 404)
