"""The public calendars of a space and of a center, and the search for a free space."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dangqun.bookings.models import Booking, ClosedDate
from dangqun.places.models import SpaceKind
from tests import factories
from tests.bookings.helpers import OPEN, ahead, at
from tests.bookings.helpers import booking_row as book
from tests.clients import count_queries, page_client

pytestmark = pytest.mark.django_db

# A slot's state and time; in the center's day view a free slot's time is a booking link.
SLOT = re.compile(
    r'<li class="slot (\w+)"[^>]*>\s*(?:<a [^>]*>)?<span class="slot-time">(\d\d:\d\d)</span>'
)


def columns(page: str) -> dict[str, str]:
    """Each day's section of a calendar page, by its heading ("MM-DD Day")."""
    sections = page.split('<section class="card day-column">')[1:]
    return {re.search(r"<h2>([^<]+)</h2>", s).group(1).strip(): s for s in sections}


def column_of(page: str, day) -> str:
    found = [s for heading, s in columns(page).items() if heading.startswith(f"{day:%m-%d}")]
    assert len(found) == 1, list(columns(page))
    return found[0]


def slots(section: str) -> dict[str, str]:
    return {when: state for state, when in SLOT.findall(section)}


def kind(code):
    return SpaceKind.objects.get(code=code)


@pytest.fixture
def booker(resident):
    return resident


def calendar_url(space) -> str:
    return f"/bookings/spaces/{space.pk}/calendar/"


# The calendar of a space


def test_week_view_shows_free_and_taken_slots(space, booker):
    book(space, booker, ahead(), "10:00", "11:00")
    response = page_client().get(calendar_url(space), {"date": ahead().isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert len(columns(page)) == 7
    # The week starts at the day asked for, not at its Monday.
    assert list(columns(page))[0].startswith(f"{ahead():%m-%d}")
    assert list(columns(page))[-1].startswith(f"{ahead() + timedelta(days=6):%m-%d}")
    day = slots(column_of(page, ahead()))
    assert list(day) == [f"{h:02d}:{m:02d}" for h in range(8, 20) for m in (0, 30)]
    assert day["09:30"] == "free"
    assert day["10:00"] == "taken"
    assert day["10:30"] == "taken"
    assert day["11:00"] == "free"
    assert list(day.values()).count("taken") == 2
    # The free slot links to the booking form at its time.
    assert f"/bookings/spaces/{space.pk}/new/?date={ahead().isoformat()}&start=11:00" in page


def test_day_view_shows_one_day(space, booker):
    book(space, booker, ahead(), "14:00", "16:00")
    response = page_client().get(calendar_url(space), {"view": "day", "date": ahead().isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert len(columns(page)) == 1
    day = slots(column_of(page, ahead()))
    assert [t for t, state in day.items() if state == "taken"] == [
        "14:00",
        "14:30",
        "15:00",
        "15:30",
    ]
    assert day["16:00"] == "free"


def test_a_taken_slot_shows_no_personal_data(space, booker):
    book(space, booker, ahead(), "10:00", "11:00", purpose="秘密的党小组会")
    someone = factories.PersonFactory(name="李四海")
    for client in (page_client(), page_client(someone)):
        page = client.get(
            calendar_url(space), {"view": "day", "date": ahead().isoformat()}
        ).content.decode()
        assert "taken" in page
        assert "秘密的党小组会" not in page
        assert "王小明" not in page
        assert "王**" not in page
        assert booker.mobile not in page


def test_pending_bookings_take_their_slots_and_cancelled_ones_do_not(space, booker):
    book(space, booker, ahead(), "10:00", "11:00", status="pending")
    book(space, booker, ahead(), "12:00", "13:00", status="cancelled")
    book(space, booker, ahead(), "14:00", "15:00", status="rejected")
    page = page_client().get(calendar_url(space), {"view": "day", "date": ahead().isoformat()})
    day = slots(column_of(page.content.decode(), ahead()))
    assert day["10:00"] == "taken"
    assert day["12:00"] == "free"
    assert day["14:00"] == "free"


def test_past_slots_are_not_free(space):
    yesterday = ahead(-1)
    page = page_client().get(calendar_url(space), {"view": "day", "date": yesterday.isoformat()})
    day = slots(column_of(page.content.decode(), yesterday))
    assert day
    assert set(day.values()) == {"shut"}


def test_a_closed_date_shows_closed(space, center):
    ClosedDate.objects.create(center=center, date=ahead(4), reason="设备检修")
    response = page_client().get(calendar_url(space), {"date": ahead(4).isoformat()})
    page = response.content.decode()
    closed = column_of(page, ahead(4))
    assert "Closed: 设备检修" in closed
    assert not slots(closed)
    # The other days of the week are not closed.
    others = [s for s in columns(page).values() if s != closed]
    assert others
    assert all("Closed" not in s for s in others)


def test_a_day_without_opening_hours_shows_closed(center):
    hours = list(OPEN)
    hours[ahead().weekday()] = ""
    space = factories.SpaceFactory(center=center, is_bookable=True, opening_hours=hours)
    page = page_client().get(calendar_url(space), {"view": "day", "date": ahead().isoformat()})
    section = column_of(page.content.decode(), ahead())
    assert "Closed" in section
    assert not slots(section)


def test_a_space_that_is_not_bookable_has_no_booking_links(center):
    hall = factories.SpaceFactory(center=center, name="大厅", is_bookable=False)
    page = page_client().get(calendar_url(hall), {"view": "day", "date": ahead().isoformat()})
    page = page.content.decode()
    assert slots(column_of(page, ahead()))["10:00"] == "free"
    assert f"/bookings/spaces/{hall.pk}/new/" not in page


def test_unknown_space_is_not_found(db):
    assert page_client().get("/bookings/spaces/999999/calendar/").status_code == 404


def test_a_bad_date_shows_today(space):
    response = page_client().get(calendar_url(space), {"view": "day", "date": "2024-13-45"})
    assert response.status_code == 200
    assert f"{timezone.localdate():%m-%d}" in list(columns(response.content.decode()))[0]


# The calendar of a center


def test_center_day_lists_its_bookable_spaces(center, space, booker, district):
    room = factories.SpaceFactory(
        center=center, kind=kind("meeting_room"), name="会议室", is_bookable=True
    )
    factories.SpaceFactory(center=center, name="档案室", is_bookable=False)
    factories.SpaceFactory(center=district.cangqian_center, name="别处的空间", is_bookable=True)
    book(room, booker, ahead(), "09:00", "10:00")
    response = page_client().get(
        "/bookings/centers/xianlin/calendar/", {"date": ahead().isoformat()}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Xianlin Center" in page
    assert "Maker space" in page
    assert "会议室" in page
    assert "档案室" not in page
    assert "别处的空间" not in page
    assert "秘密的党小组会" not in page
    sections = page.split('<section class="card day-column">')[1:]
    assert len(sections) == 2
    by_name = {("会议室" if "会议室" in s else "Maker space"): s for s in sections}
    room_slots = {t: state for state, t in SLOT.findall(by_name["会议室"])}
    assert room_slots["09:00"] == "taken"
    assert room_slots["10:00"] == "free"
    assert "taken" not in dict(SLOT.findall(by_name["Maker space"]))


def test_center_day_says_free_and_taken_in_words_and_symbols(center, space, booker):
    """Not by colour alone: each slot carries a symbol and a word, and a legend says what
    the symbols mean; a free slot is a link to book it."""
    book(space, booker, ahead(), "10:00", "11:00")
    page = (
        page_client()
        .get("/bookings/centers/xianlin/calendar/", {"date": ahead().isoformat()})
        .content.decode()
    )
    legend = re.search(r'<p class="legend slot-legend" id="slot-legend">(.*?)</p>', page, re.S)
    assert legend
    for mark, word in (("✓", "free · book"), ("✕", "taken"), ("—", "closed")):
        assert re.search(rf'aria-hidden="true">{mark}</span> {re.escape(word)}</span>', legend[1])
    cells = re.findall(
        r'<li class="slot (\w+)">(.*?)</li>', page.split("aria-describedby")[1], re.S
    )
    by_time = {re.search(r"(\d\d:\d\d)", c).group(1): (state, c) for state, c in cells}
    state, cell = by_time["10:00"]
    assert state == "taken"
    assert '<span class="slot-mark" aria-hidden="true">✕</span>' in cell
    assert '<span class="visually-hidden">taken</span>' in cell
    state, cell = by_time["11:00"]
    assert state == "free"
    assert '<span class="slot-mark" aria-hidden="true">✓</span>' in cell
    link = f"/bookings/spaces/{space.pk}/new/?date={ahead().isoformat()}&start=11:00"
    assert f'<a href="{link}">' in cell
    assert 'aria-describedby="slot-legend"' in page


def test_the_center_day_in_chinese(center, space, booker):
    book(space, booker, ahead(), "10:00", "11:00")
    page = page_client(language="zh-hans").get(
        "/bookings/centers/xianlin/calendar/", {"date": ahead().isoformat()}
    )
    text = page.content.decode()
    assert "空闲 · 预约</span>" in text
    assert '<span class="visually-hidden">已约</span>' in text


def test_center_day_on_a_closed_date(center, space):
    ClosedDate.objects.create(center=center, date=ahead(), reason="")
    page = page_client().get("/bookings/centers/xianlin/calendar/", {"date": ahead().isoformat()})
    page = page.content.decode()
    assert "Closed" in page
    assert not SLOT.findall(page)


def test_center_without_bookable_spaces(center):
    page = page_client().get("/bookings/centers/xianlin/calendar/").content.decode()
    assert "This center has no bookable spaces." in page


def test_unknown_center_is_not_found(db):
    assert page_client().get("/bookings/centers/nowhere/calendar/").status_code == 404


# The search for a free space


def result_names(page: str) -> list[str]:
    return re.findall(r'<h3 class="card-title">([^<]+)</h3>', page)


@pytest.fixture
def spaces(district, center, booker):
    """Spaces that differ in one thing each from the one that matches."""
    maker = kind("maker_space")
    village = factories.CenterFactory(
        region=district.minfeng, slug="minfeng", name="民丰村党群服务站", opening_hours=OPEN
    )
    closed_center = factories.CenterFactory(
        region=district.xianlin, slug="closed", name="闭馆中心", opening_hours=OPEN
    )
    ClosedDate.objects.create(center=closed_center, date=ahead())
    district.cangqian_center.opening_hours = OPEN
    district.cangqian_center.save()
    made = {
        "match": {"center": center, "name_en": "Match"},
        "village": {"center": village, "name_en": "Village match"},
        "taken": {"center": center},
        "small": {"center": center, "capacity": 3},
        "no capacity": {"center": center, "capacity": None, "name_en": "No capacity"},
        "other kind": {"center": center, "kind": kind("meeting_room")},
        "other street": {"center": district.cangqian_center},
        "not bookable": {"center": center, "is_bookable": False},
        "closed": {"center": closed_center},
        "afternoon only": {"center": center, "opening_hours": ["13:00-20:00"] * 7},
    }
    made = {
        name: factories.SpaceFactory(
            **{"kind": maker, "is_bookable": True, "capacity": 20, "name": name, **fields}
        )
        for name, fields in made.items()
    }
    book(made["taken"], booker, ahead(), "10:30", "11:30")
    # Around, not during, the time sought: the match stays free.
    book(made["match"], booker, ahead(), "09:00", "10:00")
    book(made["match"], booker, ahead(), "11:00", "12:00")
    return made


def search(client=None, headers=None, **params):
    query = {
        "kind": "maker_space",
        "date": ahead().isoformat(),
        "start_time": "10:00",
        "end_time": "11:00",
        "people": 5,
        **params,
    }
    return (client or page_client()).get("/bookings/search/", query, headers=headers)


def test_search_finds_free_spaces_of_a_kind_in_a_street(spaces, district):
    response = search(street=district.xianlin.pk)
    assert response.status_code == 200
    page = response.content.decode()
    assert sorted(result_names(page)) == ["Match", "No capacity", "Village match"]
    assert "3 free spaces" in page
    match = spaces["match"]
    assert f"/bookings/spaces/{match.pk}/new/?date={ahead().isoformat()}&start=10:00" in page


def test_search_in_every_street_and_of_every_kind(spaces):
    page = search(kind="").content.decode()
    assert sorted(result_names(page)) == sorted(
        ["Match", "No capacity", "Village match", "other street", "other kind"]
    )


def test_search_in_the_other_street(spaces, district):
    page = search(street=district.cangqian.pk).content.decode()
    assert result_names(page) == ["other street"]


def test_search_for_few_people_takes_the_small_space(spaces, district):
    page = search(street=district.xianlin.pk, people=3).content.decode()
    assert "small" in result_names(page)


def test_search_in_the_afternoon(spaces, district):
    page = search(street=district.xianlin.pk, start_time="14:00", end_time="15:00")
    names = result_names(page.content.decode())
    assert "afternoon only" in names
    assert "taken" in names
    assert "closed" not in names


def test_a_space_without_a_capacity_takes_any_number(spaces):
    page = search(people=500).content.decode()
    assert result_names(page) == ["No capacity"]


def test_search_without_a_match(spaces):
    page = search(start_time="20:00", end_time="21:00").content.decode()
    assert result_names(page) == []
    assert "No free space matches." in page


def test_search_with_a_bad_time_shows_the_error_and_no_results(spaces):
    page = search(start_time="11:00", end_time="10:00").content.decode()
    assert re.search(r'id="id_end_time_error">The end must be after the start.<', page)
    assert result_names(page) == []
    assert "free space" not in page.split('<div id="results"')[1]


def test_search_form_alone_shows_no_results(db):
    response = page_client().get("/bookings/search/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="start_time"' in page
    assert 'id="results"' in page
    assert result_names(page) == []


def test_search_answers_htmx_with_the_results_only(spaces, district):
    response = search(street=district.xianlin.pk, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page
    assert sorted(result_names(page)) == ["Match", "No capacity", "Village match"]


# Query counts do not grow with the number of bookings


def many_bookings(spaces, people) -> list[Booking]:
    """Half-hour bookings on every afternoon slot of the day searched and the days around
    it, in every space, by several people; none at the time the search asks for."""
    bookings = []
    for space in spaces:
        for offset in (2, 3, 4):
            for n, minute in enumerate(range(12 * 60, 20 * 60, 30)):
                start = at(ahead(offset), f"{minute // 60:02d}:{minute % 60:02d}")
                person = people[n % len(people)]
                bookings.append(
                    Booking(
                        space=space,
                        booker=person,
                        created_by=person,
                        start=start,
                        end=start + timedelta(minutes=30),
                        purpose="会",
                        headcount=2,
                        status="confirmed",
                    )
                )
    return Booking.objects.bulk_create(bookings)


@pytest.mark.parametrize(
    "fetch",
    [
        pytest.param(lambda spaces: search(), id="search"),
        pytest.param(
            lambda spaces: page_client().get(
                calendar_url(spaces["match"]), {"date": ahead().isoformat()}
            ),
            id="space week",
        ),
        pytest.param(
            lambda spaces: page_client().get(
                calendar_url(spaces["match"]), {"view": "day", "date": ahead().isoformat()}
            ),
            id="space day",
        ),
        pytest.param(
            lambda spaces: page_client().get(
                "/bookings/centers/xianlin/calendar/", {"date": ahead().isoformat()}
            ),
            id="center day",
        ),
    ],
)
def test_query_count_does_not_grow_with_bookings(
    spaces, booker, fetch, django_assert_max_num_queries
):
    few, response = count_queries(lambda: fetch(spaces))
    assert response.status_code == 200
    bookable = [s for s in spaces.values() if s.is_bookable]
    people = [factories.PersonFactory() for _ in range(4)]
    assert len(many_bookings(bookable, people)) > 300
    with django_assert_max_num_queries(few):
        response = fetch(spaces)
    assert response.status_code == 200
