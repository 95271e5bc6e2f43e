"""The back-office booking pages over HTTP: the list and its actions, the day sheet, the
Excel export, booking rules and closed dates; each scoped to the staff member's regions.

Bookings are in January 2030 (Asia/Shanghai); the kinds' rules are opened that far ahead."""

import html
import re
import uuid
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from dangqun.bookings import rules, services
from dangqun.bookings.models import BookingRule, ClosedDate
from dangqun.core.models import AuditEntry
from tests import factories
from tests.bookings.helpers import MONDAY, Role, Status, at, book, direct_booking
from tests.clients import page_client
from tests.pages import error_box, field_error

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("far_ahead")]

TUESDAY = MONDAY + timedelta(days=1)
LIST = "/staff/bookings/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(page: str) -> list[str]:
    return re.findall(r'<li class="msg[^"]*">([^<]*)</li>', page)


def rows(page: str) -> list[str]:
    """The booking rows of the list, as their ids (booking-<public id>)."""
    return re.findall(r'<tr id="booking-([0-9a-f-]{36})">', page)


@pytest.fixture
def place(district, room, studio, riders):
    return district, room, studio, riders


@pytest.fixture
def bookings(place, residents):
    """In Xianlin: a confirmed room booking, a pending studio request, a cancelled one,
    one the next day; in Cangqian: a confirmed booking."""
    _district, room, studio, riders = place
    zhang, wang = residents
    made = {
        "room": book(zhang, room, start=(14, 0), end=(15, 0), purpose="亲子阅读"),
        "studio": book(zhang, studio, start=(9, 0), end=(10, 0), purpose="直播带货"),
        "cancelled": book(zhang, room, start=(9, 0), end=(10, 0), purpose="取消的"),
        "tuesday": book(zhang, room, day=TUESDAY, purpose="周二活动"),
        "cangqian": book(wang, riders, purpose="骑手座谈"),
    }
    services.booking_cancel(actor=zhang, booking=made["cancelled"])
    for booking in made.values():
        booking.refresh_from_db()
    return made


@pytest.fixture
def street_admin(xianlin_admin):
    return page_client(xianlin_admin)


@pytest.fixture
def district_admin(yuhang_admin):
    return page_client(yuhang_admin)


def pid(booking) -> str:
    return str(booking.public_id)


# --- who may enter -----------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, district):
    for url in (LIST, "/staff/bookings/day/", "/staff/bookings/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_residents_and_partners_do_not_find_the_pages(district, person):
    partner = factories.staff(Role.PARTNER_STAFF, district.xianlin)
    for who in (person, partner):
        client = page_client(who)
        for url in (
            LIST,
            "/staff/bookings/day/",
            "/staff/bookings/export.xlsx",
            "/staff/bookings/spaces/",
        ):
            assert client.get(url).status_code == 404, (who, url)


def test_the_back_office_links_to_the_bookings(street_admin):
    assert 'href="/staff/bookings/"' in street_admin.get("/staff/").content.decode()


# --- the list ----------------------------------------------------------------------------


def test_street_admin_sees_the_street_s_bookings_only(street_admin, bookings):
    page = text(street_admin.get(LIST, {"date_from": "2030-01-01"}))
    assert set(rows(page)) == {pid(bookings[k]) for k in ("room", "studio", "cancelled", "tuesday")}
    assert "骑手座谈" not in page and "王仓前" not in page


def test_the_list_shows_what_staff_need_with_masked_mobiles(street_admin, bookings):
    page = text(street_admin.get(LIST, {"date_from": "2030-01-07", "date_to": "2030-01-07"}))
    assert "139****1111" in page and "13900001111" not in page
    assert "张闲林" in page and "亲子阅读" in page and "直播带货" in page
    assert "14:00–15:00" in page  # Shanghai time, not UTC (06:00)
    assert "Juxianli Studio" in page  # English names in English
    assert "Waiting for approval" in page and "Cancelled" in page


def test_the_list_is_in_time_order(street_admin, bookings):
    page = text(street_admin.get(LIST, {"date_from": "2030-01-07"}))
    assert rows(page) == [
        pid(bookings[k]) for k in ("studio", "cancelled", "room", "tuesday")
    ]  # Monday 09:00 (two, by id), Monday 14:00, Tuesday


def test_district_admin_sees_both_streets(district_admin, bookings):
    page = text(district_admin.get(LIST, {"date_from": "2030-01-01"}))
    assert pid(bookings["cangqian"]) in rows(page) and len(rows(page)) == 5


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "pending"}, {"studio"}),
        ({"status": "cancelled"}, {"cancelled"}),
        ({"date_from": "2030-01-08"}, {"tuesday"}),
        (
            {"date_from": "2030-01-01", "date_to": "2030-01-07"},
            {"room", "studio", "cancelled", "cangqian"},
        ),
        ({"center": "cangqian"}, {"cangqian"}),
    ],
)
def test_the_filters(district_admin, bookings, filters, expected):
    page = text(district_admin.get(LIST, {"date_from": "2030-01-01", **filters}))
    assert set(rows(page)) == {pid(bookings[k]) for k in expected}


def test_the_space_filter(street_admin, bookings, place):
    studio = place[2]
    page = text(street_admin.get(LIST, {"space": studio.pk, "date_from": ""}))
    assert rows(page) == [pid(bookings["studio"])]


def test_another_street_s_center_or_space_is_not_a_choice(street_admin, bookings, place):
    riders = place[3]
    for filters in ({"center": "cangqian"}, {"space": riders.pk}):
        page = text(street_admin.get(LIST, filters))
        assert rows(page) == [] and "Select a valid choice" in page
    options = text(street_admin.get(LIST))
    assert "骑手之家" not in options and 'value="cangqian"' not in options


def test_a_first_visit_shows_from_today_on(street_admin, bookings, place, residents):
    past = direct_booking(
        place[1],
        residents[0],
        timezone.now() - timedelta(days=3, hours=1),
        purpose="上周的",
        headcount=1,
    )
    page = text(street_admin.get(LIST))
    assert pid(past) not in rows(page) and pid(bookings["room"]) in rows(page)
    assert f'value="{timezone.localdate().isoformat()}"' in page
    everything = text(street_admin.get(LIST, {"date_from": ""}))
    assert pid(past) in rows(everything)


def test_a_backwards_date_range_is_an_error(street_admin, bookings):
    page = text(street_admin.get(LIST, {"date_from": "2030-01-08", "date_to": "2030-01-07"}))
    assert "The end date must not be before the start date." in page
    assert rows(page) == []


def test_htmx_gets_only_the_rows(street_admin, bookings):
    response = street_admin.get(LIST, {"status": "pending"}, HTTP_HX_REQUEST="true")
    page = text(response)
    assert "<html" not in page and rows(page) == [pid(bookings["studio"])]


def test_the_list_pages_fifty_at_a_time(street_admin, place, residents):
    room = place[1]
    for i in range(55):
        day = MONDAY + timedelta(days=7 * (i // 8))
        hour = 9 + i % 8
        start = (hour, 0) if hour < 12 else (hour + 2, 0)
        direct_booking(room, residents[0], at(day, *start), 30, purpose=f"第{i}场", headcount=1)
    first = text(street_admin.get(LIST, {"date_from": "2030-01-01"}))
    assert len(rows(first)) == 50 and "55 bookings" in first
    second = text(street_admin.get(LIST, {"date_from": "2030-01-01", "page": 2}))
    assert len(rows(second)) == 5


def test_the_list_s_query_count_does_not_grow(
    street_admin, place, residents, django_assert_max_num_queries
):
    _district, room, studio, _riders = place
    book(residents[0], room)
    book(residents[0], studio, start=(10, 0), end=(11, 0))
    with django_assert_max_num_queries(20) as few:
        street_admin.get(LIST, {"date_from": "2030-01-01"})
    for i in range(10):
        booker = factories.PersonFactory()
        book(
            booker,
            room,
            day=TUESDAY + timedelta(days=i // 3),
            start=(14 + i % 3, 0),
            end=(15 + i % 3, 0),
        )
    with django_assert_max_num_queries(len(few)):
        page = text(street_admin.get(LIST, {"date_from": "2030-01-01"}))
    assert len(rows(page)) == 12


# --- approve, reject, cancel -----------------------------------------------------------


def test_approving_a_request(
    street_admin, bookings, sms_outbox, django_capture_on_commit_callbacks
):
    back = f"{LIST}?status=pending"
    with django_capture_on_commit_callbacks(execute=True):
        response = street_admin.post(f"{LIST}{pid(bookings['studio'])}/approve/", {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    bookings["studio"].refresh_from_db()
    assert bookings["studio"].status == Status.CONFIRMED
    assert [to for to, _ in sms_outbox] == ["13900001111"]
    assert "聚贤里直播间" in sms_outbox[0][1]
    page = text(street_admin.get(back))
    assert "The booking is approved." in " ".join(messages_of(page))


def test_approving_a_confirmed_booking_is_an_error(street_admin, bookings):
    response = street_admin.post(f"{LIST}{pid(bookings['room'])}/approve/", follow=True)
    assert "Only a booking waiting for approval can be approved or rejected." in messages_of(
        text(response)
    )
    bookings["room"].refresh_from_db()
    assert bookings["room"].status == Status.CONFIRMED


def test_actions_take_post_only(street_admin, bookings):
    assert street_admin.get(f"{LIST}{pid(bookings['studio'])}/approve/").status_code == 405
    assert street_admin.get(f"{LIST}{pid(bookings['room'])}/cancel/").status_code == 405


def test_next_must_be_the_list(street_admin, bookings):
    response = street_admin.post(
        f"{LIST}{pid(bookings['studio'])}/approve/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == LIST


def test_rejecting_without_a_reason_shows_the_error_beside_the_field(street_admin, bookings):
    response = street_admin.post(f"{LIST}{pid(bookings['studio'])}/reject/", {"reason": " "})
    assert response.status_code == 200
    assert field_error(text(response), "reason") == "Give the reason for rejecting."
    bookings["studio"].refresh_from_db()
    assert bookings["studio"].status == Status.PENDING


def test_rejecting_with_a_reason(
    street_admin, bookings, sms_outbox, django_capture_on_commit_callbacks
):
    url = f"{LIST}{pid(bookings['studio'])}/reject/"
    form = text(street_admin.get(url))
    assert "直播带货" in form and 'name="reason"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = street_admin.post(
            url, {"reason": "当天有参观团", "next": f"{LIST}?status=pending"}
        )
    assert response.status_code == 302 and response["Location"] == f"{LIST}?status=pending"
    bookings["studio"].refresh_from_db()
    assert (bookings["studio"].status, bookings["studio"].reason) == (
        Status.REJECTED,
        "当天有参观团",
    )
    assert sms_outbox[0][1].endswith("当天有参观团")


def test_rejecting_a_confirmed_booking_says_why(street_admin, bookings):
    response = street_admin.post(f"{LIST}{pid(bookings['room'])}/reject/", {"reason": "不行"})
    assert "Only a booking waiting for approval" in error_box(text(response))
    bookings["room"].refresh_from_db()
    assert bookings["room"].status == Status.CONFIRMED


def test_cancelling_a_booking(
    street_admin, bookings, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        street_admin.post(f"{LIST}{pid(bookings['room'])}/cancel/", {"reason": "场地维修"})
    bookings["room"].refresh_from_db()
    assert (bookings["room"].status, bookings["room"].reason) == (Status.CANCELLED, "场地维修")
    assert "已取消" in sms_outbox[0][1]


def test_cancelling_an_ended_booking_is_an_error(street_admin, place, residents):
    ended = direct_booking(
        place[1], residents[0], timezone.now() - timedelta(hours=2), purpose="已结束", headcount=1
    )
    page = text(street_admin.post(f"{LIST}{pid(ended)}/cancel/", follow=True))
    assert "This booking is over and cannot be cancelled." in messages_of(page)
    ended.refresh_from_db()
    assert ended.status == Status.CONFIRMED


def test_the_actions_offered_follow_the_status(street_admin, bookings):
    page = text(street_admin.get(LIST, {"date_from": "2030-01-01"}))
    assert f"{pid(bookings['studio'])}/approve/" in page
    assert f"{pid(bookings['studio'])}/reject/" in page
    assert f"{pid(bookings['room'])}/approve/" not in page
    assert f"{pid(bookings['room'])}/cancel/" in page
    assert f"{pid(bookings['cancelled'])}/cancel/" not in page


@pytest.mark.parametrize("action", ["approve", "reject", "cancel"])
def test_another_street_s_booking_is_404_like_a_missing_one(district, bookings, action, sms_outbox):
    client = page_client(factories.staff(Role.STREET_ADMIN, district.xianlin))
    other = bookings["cangqian"]
    outside = client.post(f"{LIST}{pid(other)}/{action}/", {"reason": "x"})
    missing = client.post(f"{LIST}{uuid.uuid4()}/{action}/", {"reason": "x"})
    assert outside.status_code == missing.status_code == 404
    other.refresh_from_db()
    assert other.status == Status.CONFIRMED
    assert client.get(f"{LIST}{pid(other)}/reject/").status_code == 404


# --- the day sheet -----------------------------------------------------------------------


def test_the_day_sheet_lists_each_space_s_bookings_in_time_order(
    street_admin, bookings, place, residents
):
    _district, room, studio, _riders = place
    early = book(residents[1], room, start=(8, 30), end=(9, 0), purpose="早场")
    page = text(
        street_admin.get("/staff/bookings/day/", {"center": "xianlin", "date": "2030-01-07"})
    )
    assert "Xianlin Center" in page and "2030-01-07 Monday" in page
    room_part = page[page.index("Warm Current Home") : page.index("Juxianli Studio")]
    studio_part = page[page.index("Juxianli Studio") :]
    assert room_part.index("早场") < room_part.index("亲子阅读")  # 08:30 before 14:00
    assert "08:30–09:00" in room_part and "14:00–15:00" in room_part
    assert "直播带货" in studio_part and "Waiting for approval" in studio_part
    assert "取消的" not in page  # cancelled bookings are not on the sheet
    assert "周二活动" not in page and "骑手座谈" not in page
    assert "139****1111" in page and "13900001111" not in page
    assert "Arrived at" in page and "Signature" in page
    assert "3 bookings" in page
    assert early.booker.masked_mobile in page


def test_the_day_sheet_shows_a_closed_date(street_admin, place, district):
    ClosedDate.objects.create(center=district.xianlin_center, date=MONDAY, reason="设备检修")
    page = text(
        street_admin.get("/staff/bookings/day/", {"center": "xianlin", "date": "2030-01-07"})
    )
    assert "The center is closed on this date." in page and "设备检修" in page
    assert "No bookings." in page


def test_the_day_sheet_of_another_street_is_404(street_admin, bookings):
    response = street_admin.get(
        "/staff/bookings/day/", {"center": "cangqian", "date": "2030-01-07"}
    )
    assert response.status_code == 404


def test_without_a_center_the_day_sheet_asks_for_one(street_admin, place):
    page = text(street_admin.get("/staff/bookings/day/"))
    assert 'value="xianlin"' in page and 'value="cangqian"' not in page
    assert f'value="{timezone.localdate().isoformat()}"' in page


def test_the_day_sheet_prints_without_the_site_s_header():
    css = Path(finders.find("dangqun/site.css")).read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    printed = css[css.index("@media print") :]
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none", printed).group(1)
    for part in (".site-header", ".site-footer", ".no-print"):
        assert part in hidden
    assert "size: A4" in printed


# --- the Excel export ----------------------------------------------------------------------


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return openpyxl.load_workbook(BytesIO(response.content))


def test_the_export_has_the_list_s_rows(street_admin, bookings):
    response = street_admin.get(
        "/staff/bookings/export.xlsx", {"date_from": "2030-01-07", "date_to": "2030-01-07"}
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="bookings-all-2030-01-07-2030-01-07.xlsx"'
    )
    book = workbook(response)
    assert book.sheetnames == ["Bookings"]
    sheet = book["Bookings"]
    values = list(sheet.iter_rows(values_only=True))
    header, data = values[0], values[1:]
    assert header[:9] == (
        "Center",
        "Space",
        "Start",
        "End",
        "Booked by",
        "Mobile number",
        "Purpose",
        "Headcount",
        "Status",
    )
    assert [row[6] for row in data] == ["直播带货", "取消的", "亲子阅读"]
    room = data[2]
    assert room[:2] == ("Xianlin Center", "Warm Current Home")
    assert room[2] == datetime(2030, 1, 7, 14, 0) and room[3] == datetime(2030, 1, 7, 15, 0)
    assert room[4:9] == ("张闲林", "139****1111", "亲子阅读", 5, "Confirmed")
    assert sheet["C2"].number_format == "yyyy-mm-dd hh:mm"
    assert all("13900001111" not in str(cell) for row in values for cell in row)


def test_the_export_is_scoped_and_filtered(street_admin, bookings):
    book = workbook(
        street_admin.get(
            "/staff/bookings/export.xlsx", {"date_from": "2030-01-01", "status": "confirmed"}
        )
    )
    purposes = [row[6] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert purposes == ["亲子阅读", "周二活动"]  # not Cangqian's, not pending nor cancelled


def test_the_export_is_audited_with_its_filters(street_admin, bookings, district):
    street_admin.get(
        "/staff/bookings/export.xlsx", {"center": "xianlin", "date_from": "2030-01-07"}
    )
    entry = AuditEntry.objects.get(action="booking.export")
    assert entry.actor.name == "闲林管理员"
    assert entry.object_id == str(district.xianlin_center.pk)
    assert entry.data == {
        "center": "xianlin",
        "space": None,
        "status": None,
        "date_from": "2030-01-07",
        "date_to": None,
        "rows": 4,
    }


def test_the_export_speaks_chinese_by_default(district, bookings):
    street = factories.staff(Role.STREET_ADMIN, district.xianlin)
    client = page_client(street, language="zh-hans")
    book = workbook(client.get("/staff/bookings/export.xlsx", {"date_from": "2030-01-07"}))
    row = next(book.active.iter_rows(min_row=2, max_row=2, values_only=True))
    assert row[0] == "闲林街道党群服务中心"


def test_typed_text_stays_text_in_the_export(street_admin, place, residents):
    book(residents[0], place[1], purpose='=HYPERLINK("http://evil.example","x")')
    sheet = workbook(
        street_admin.get("/staff/bookings/export.xlsx", {"date_from": "2030-01-01"})
    ).active
    cell = sheet["G2"]
    assert cell.value == '=HYPERLINK("http://evil.example","x")' and cell.data_type == "s"


def test_a_bad_filter_exports_nothing(street_admin, bookings):
    response = street_admin.get(
        "/staff/bookings/export.xlsx", {"date_from": "2030-01-08", "date_to": "2030-01-01"}
    )
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(action="booking.export").exists()


# --- booking rules -----------------------------------------------------------------------

RULE_FORM = {
    "slot_minutes": "60",
    "min_minutes": "60",
    "max_minutes": "180",
    "max_days_ahead": "60",
    "requires_approval": "on",
    "max_headcount": "",
    "open_to_residents": "on",
    "required_tags": ["volunteer"],
}


def test_the_rule_page_shows_the_rule_in_force(street_admin, place):
    room = place[1]
    BookingRule.objects.filter(kind=room.kind).update(max_days_ahead=45)
    page = text(street_admin.get(f"/staff/bookings/rules/{room.pk}/"))
    assert "The default rule of its kind of space." in page
    assert re.search(r'name="max_days_ahead" value="45"', page)
    assert re.search(r'<option value="30" selected>', page)


def test_saving_a_space_rule(street_admin, place):
    room = place[1]
    response = street_admin.post(f"/staff/bookings/rules/{room.pk}/", RULE_FORM)
    assert response.status_code == 302
    rule = rules.rule_for(room)
    assert rule.space_id == room.pk
    assert (rule.slot_minutes, rule.min_minutes, rule.max_minutes) == (60, 60, 180)
    assert rule.requires_approval and rule.open_to_residents and not rule.open_to_partners
    assert rule.required_tags == ["volunteer"] and rule.max_headcount is None
    page = text(street_admin.get(response["Location"]))
    assert "This space's own rule." in page
    assert AuditEntry.objects.filter(action="booking_rule.save").exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"min_minutes": "240", "max_minutes": "120"}, "max_minutes", "cannot be shorter"),
        ({"min_minutes": "90"}, "min_minutes", "multiple of the slot length (60 minutes)"),
        ({"max_headcount": "21"}, "max_headcount", "capacity (20 people)"),
        ({"max_days_ahead": "0"}, "max_days_ahead", "from 1 to 365"),
        ({"slot_minutes": "20"}, "slot_minutes", "Select a valid choice"),
        ({"max_minutes": "two hours"}, "max_minutes", "Enter a whole number"),
    ],
)
def test_a_bad_rule_is_shown_beside_its_field(street_admin, place, change, field, words):
    room = place[1]
    response = street_admin.post(f"/staff/bookings/rules/{room.pk}/", {**RULE_FORM, **change})
    assert response.status_code == 200
    assert words in field_error(text(response), field)
    assert not BookingRule.objects.filter(space=room).exists()


def test_resetting_a_space_rule(street_admin, place):
    room = place[1]
    street_admin.post(f"/staff/bookings/rules/{room.pk}/", RULE_FORM)
    response = street_admin.post(f"/staff/bookings/rules/{room.pk}/reset/")
    assert response.status_code == 302
    assert rules.rule_for(room).space_id is None


def test_rules_of_another_street_s_space_are_404(street_admin, place):
    riders = place[3]
    assert street_admin.get(f"/staff/bookings/rules/{riders.pk}/").status_code == 404
    assert street_admin.post(f"/staff/bookings/rules/{riders.pk}/", RULE_FORM).status_code == 404
    assert street_admin.post(f"/staff/bookings/rules/{riders.pk}/reset/").status_code == 404
    assert not BookingRule.objects.filter(space=riders).exists()


def test_district_admins_edit_a_kind_s_default(district_admin, place):
    url = "/staff/bookings/rules/kind/livestream_studio/"
    page = text(district_admin.get(url))
    assert "Livestream studio" in page
    assert re.search(r'name="requires_approval" id="id_requires_approval" checked', page)
    response = district_admin.post(url, {**RULE_FORM, "max_headcount": "4"})
    assert response.status_code == 302
    studio = place[2]
    rule = rules.rule_for(studio)
    assert rule.kind_id == studio.kind_id and rule.max_headcount == 4


def test_street_admins_do_not_edit_kind_defaults(street_admin, place):
    url = "/staff/bookings/rules/kind/livestream_studio/"
    assert street_admin.get(url).status_code == 404
    assert street_admin.post(url, RULE_FORM).status_code == 404


def test_the_settings_page_links_my_spaces(street_admin, place):
    page = text(street_admin.get("/staff/bookings/spaces/"))
    _district, room, studio, riders = place
    assert f"/staff/bookings/rules/{room.pk}/" in page
    assert f"/staff/bookings/rules/{studio.pk}/" in page
    assert f"/staff/bookings/rules/{riders.pk}/" not in page
    assert "/staff/bookings/closed/xianlin/" in page
    assert "/staff/bookings/rules/kind/" not in page  # street admins do not edit kinds


# --- closed dates ----------------------------------------------------------------------


def test_closing_a_date_warns_of_its_bookings(street_admin, bookings, district):
    url = "/staff/bookings/closed/xianlin/"
    response = street_admin.post(url, {"date": "2030-01-07", "reason": "设备检修"}, follow=True)
    page = text(response)
    closed = ClosedDate.objects.get(center=district.xianlin_center)
    assert (closed.date, closed.reason) == (MONDAY, "设备检修")
    assert "2 bookings on this day are still active." in " ".join(messages_of(page))
    assert "2030-01-07" in page and "设备检修" in page


def test_closing_a_date_twice_or_in_the_past_is_refused(street_admin, place, district):
    url = "/staff/bookings/closed/xianlin/"
    street_admin.post(url, {"date": "2030-01-07"})
    page = text(street_admin.post(url, {"date": "2030-01-07"}))
    assert field_error(page, "date") == "This date is closed already."
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page = text(street_admin.post(url, {"date": yesterday}))
    assert field_error(page, "date") == "Choose today or a later date."
    assert ClosedDate.objects.count() == 1


def test_opening_a_closed_date_again(street_admin, place, district):
    closed = ClosedDate.objects.create(center=district.xianlin_center, date=MONDAY)
    response = street_admin.post(f"/staff/bookings/closed/xianlin/{closed.pk}/remove/")
    assert response.status_code == 302
    assert not ClosedDate.objects.exists()
    assert AuditEntry.objects.filter(action="closed_date.remove").exists()


def test_closed_dates_of_another_street_are_404(street_admin, place, district):
    theirs = ClosedDate.objects.create(center=district.cangqian_center, date=MONDAY)
    assert street_admin.get("/staff/bookings/closed/cangqian/").status_code == 404
    assert (
        street_admin.post("/staff/bookings/closed/cangqian/", {"date": "2030-01-08"}).status_code
        == 404
    )
    assert (
        street_admin.post(f"/staff/bookings/closed/cangqian/{theirs.pk}/remove/").status_code == 404
    )
    # Nor through my own center's address.
    assert (
        street_admin.post(f"/staff/bookings/closed/xianlin/{theirs.pk}/remove/").status_code == 404
    )
    assert ClosedDate.objects.count() == 1
