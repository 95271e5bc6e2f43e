"""The back-office pages of the working-day calendar over HTTP: the years and their status,
one year's days, entering a lacking year (all or nothing), who may edit."""

from datetime import date

import pytest
from django.conf import settings

from dangqun.core.models import AuditEntry
from dangqun.people.models import StaffRole
from dangqun.workdays import selectors
from dangqun.workdays.models import OfficialDay, OfficialYear
from tests import factories
from tests.clients import page_client

pytestmark = pytest.mark.django_db

LACKING = max(selectors.package_years()) + 1
Role = StaffRole.Role


@pytest.fixture
def client():
    """The pages in English, for reading their wording (as_person signs it in)."""
    return page_client()


@pytest.fixture
def boss(district, as_person):
    return as_person(factories.staff(Role.DISTRICT_ADMIN, district.district))


@pytest.fixture
def street(district, as_person):
    return as_person(factories.staff(Role.STREET_ADMIN, district.xianlin))


def test_the_year_list_shows_each_years_status(boss):
    response = boss.get("/staff/workdays/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Official (State Council, from the package)" in text
    assert "Estimated: weekdays only" in text
    assert f"/staff/workdays/{LACKING}/" in text


def test_the_back_office_home_links_to_it(boss):
    assert b"/staff/workdays/" in boss.get("/staff/").content


def test_a_covered_year_lists_the_package_days(boss):
    text = boss.get("/staff/workdays/2025/").content.decode()
    assert "2025-09-28" in text and "2025-10-11" in text and "2025-10-08" in text
    assert "National Day" in text
    assert "make-up working day" in text


def test_entering_a_lacking_year_makes_it_official(boss):
    page = boss.get(f"/staff/workdays/{LACKING}/").content.decode()
    assert "Estimated: weekdays only" in page
    lines = (
        f"{LACKING}-10-01 holiday 国庆节\n{LACKING}-10-04 休 国庆节\n\n{LACKING}-10-09 班 调休\n"
    )
    response = boss.post(f"/staff/workdays/{LACKING}/", {"lines": lines, "complete": "on"})
    assert response.status_code == 302
    assert OfficialDay.objects.filter(date__year=LACKING).count() == 3
    assert OfficialYear.objects.get(year=LACKING).complete
    assert not selectors.is_estimated(LACKING)
    assert not selectors.is_working_day(date(LACKING, 10, 4))
    page = boss.get(f"/staff/workdays/{LACKING}/").content.decode()
    assert "Official (entered by the district)" in page
    assert f"{LACKING}-10-09 workday 调休" in page  # the form shows what was entered
    assert AuditEntry.objects.filter(action="workdays.year_enter").count() == 1


def test_one_wrong_line_saves_nothing_and_names_each_wrong_line(boss):
    OfficialDay.objects.create(date=date(LACKING, 1, 1), kind="holiday", name="元旦")
    lines = "\n".join(
        [
            f"{LACKING}-10-01 holiday 国庆节",
            f"{LACKING}-02-30 holiday 春节",
            f"{LACKING + 1}-01-01 holiday 元旦",
            f"{LACKING}-10-01 holiday again",
            f"{LACKING}-10-02 rest",
            "next friday off",
        ]
    )
    response = boss.post(f"/staff/workdays/{LACKING}/", {"lines": lines, "complete": "on"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Line 2:" in text and "is not a date" in text
    assert f"Line 3: {LACKING + 1}-01-01 is not in {LACKING}" in text
    assert "Line 4:" in text and "given twice" in text
    assert "Line 5: the kind must be holiday" in text
    assert "Line 6:" in text
    assert "Line 1:" not in text
    # Nothing changed: the earlier entry stays, no year record.
    assert list(OfficialDay.objects.values_list("name", flat=True)) == ["元旦"]
    assert not OfficialYear.objects.exists()


def test_a_weekday_cannot_be_a_make_up_working_day(boss):
    monday = next(date(LACKING, 3, d) for d in range(1, 8) if date(LACKING, 3, d).weekday() == 0)
    response = boss.post(f"/staff/workdays/{LACKING}/", {"lines": f"{monday} workday x"})
    assert "is a working day already" in response.content.decode()
    assert not OfficialDay.objects.exists()


def test_complete_without_any_day_is_refused(boss):
    response = boss.post(f"/staff/workdays/{LACKING}/", {"lines": "", "complete": "on"})
    assert response.status_code == 200
    assert "at least its holidays" in response.content.decode()
    assert not OfficialYear.objects.exists()


def test_street_admins_read_but_may_not_edit(street):
    page = street.get(f"/staff/workdays/{LACKING}/")
    assert page.status_code == 200
    assert b'name="lines"' not in page.content
    response = street.post(f"/staff/workdays/{LACKING}/", {"lines": f"{LACKING}-10-01 休 国庆"})
    assert response.status_code == 404
    assert not OfficialDay.objects.exists()


def test_residents_and_strangers_do_not_see_it(person, as_person, client):
    assert client.get("/staff/workdays/").status_code == 302  # to sign in
    assert as_person(person).get("/staff/workdays/").status_code == 404


def test_picking_a_year_and_years_out_of_range(boss):
    response = boss.post("/staff/workdays/pick/", {"year": LACKING + 1})
    assert response.status_code == 302 and response.url == f"/staff/workdays/{LACKING + 1}/"
    assert boss.post("/staff/workdays/pick/", {"year": "abc"}).url == "/staff/workdays/"
    assert boss.get("/staff/workdays/1999/").status_code == 404


def test_the_year_list_needs_few_queries(boss, django_assert_max_num_queries):
    boss.get("/staff/workdays/")
    with django_assert_max_num_queries(8):
        assert boss.get("/staff/workdays/").status_code == 200


def test_the_pages_speak_chinese_by_default(boss):
    boss.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    text = boss.get("/staff/workdays/2025/").content.decode()
    assert "2025 年工作日" in text
    assert "官方（国务院安排，来自日历包）" in text
    assert "国庆节" in text and "调休上班日" in text


@pytest.mark.parametrize(
    ("today", "shown"),
    [
        (date(LACKING - 1, 11, 20), LACKING),  # autumn: next year is due
        (date(LACKING - 1, 6, 1), None),  # too early to ask
        (date(LACKING, 1, 5), LACKING),  # the year has begun without it
    ],
)
def test_the_back_office_reminds_district_admins(boss, monkeypatch, today, shown):
    from dangqun.workdays.templatetags import workdays

    monkeypatch.setattr(workdays, "_today", lambda: today)
    text = boss.get("/staff/").content.decode()
    reminder = f"The official holidays of {LACKING} are not entered yet"
    assert (reminder in text) is (shown is not None)
    if shown:
        assert f'href="/staff/workdays/{LACKING}/"' in text


def test_no_reminder_once_entered_or_for_others(district, as_person, client, monkeypatch):
    from dangqun.workdays import services as workday_services
    from dangqun.workdays.templatetags import workdays

    monkeypatch.setattr(workdays, "_today", lambda: date(LACKING - 1, 11, 20))
    street_admin = factories.staff(Role.STREET_ADMIN, district.xianlin)
    assert b"are not entered yet" not in as_person(street_admin).get("/staff/").content
    admin = factories.staff(Role.DISTRICT_ADMIN, district.district)
    workday_services.official_year_enter(
        actor=admin, year=LACKING, lines=f"{LACKING}-10-01 休 国庆节", complete=True
    )
    assert b"are not entered yet" not in as_person(admin).get("/staff/").content
