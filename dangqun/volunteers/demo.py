"""Demo volunteering: the Cangqian riders' volunteer team (小哥志愿服务队, the riders' former
"joined the volunteer team" flag) and the Xianlin elder-help team, with a few weeks of
shifts behind them (check-ins and check-outs turned into credit hours by the services),
shifts ahead with sign-ups and a waiting list, one under way now, honour hours, a
correction, points, rewards, a service certificate and a riders' training's certificates;
and something waiting for each leader (a join request, honour hours to approve, a
correction request, a missed check-out). Everything goes through the services, as people
would; only the clock is helped: a past shift is opened ahead (the services refuse the
past), signed up for, then written back to when it happened (`_move_back`).

The worker keeps it alive (tasks.py): a demo team always has a shift under way in the day
and shifts in the next two weeks."""

import io
import random
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangqun.activities import selectors as activities
from dangqun.activities import services as activity_services
from dangqun.partners import selectors as partners
from dangqun.people import services as people_services
from dangqun.people.models import Person, PersonTag
from dangqun.places.models import ServiceCenter

from . import gate, services
from .models import HoursEntry, MissedCheckOut, Shift, Task, Team
from .selectors import hours_of, points_of, rewards_of

SEED = 20230818
DEMO_STAFF_MOBILE = "19900000001"
# Past shifts are opened this far ahead, signed up for, then moved back (see the module).
AHEAD = timedelta(days=90)

TEAMS = [
    {
        "name": "小哥志愿服务队",
        "name_en": "Riders' volunteer team",
        "center": "cangqian-new-employment",
        "is_riders_team": True,
        "join_rule": Team.JoinRule.OPEN,
        "description": "仓前街道“幸福满仓 一骑向前”党建品牌的骑手志愿服务队：文明交通劝导、"
        "暖蜂驿站值守、防汛巡查。演示数据（Demo data）。",
        "tasks": [
            ("骑手文明交通劝导", "文一西路与良睦路口", "熟悉交通法规", 4),
            ("暖蜂驿站值守", "", "耐心、会用手机", 3),
            ("防汛巡查", "仓前街道沿河绿道", "会游泳者优先", 3),
        ],
    },
    {
        "name": "闲林街道助老志愿服务队",
        "name_en": "Xianlin elder-help volunteer team",
        "center": "xianlin",
        # The university's students serve in it: its hours count for the partner.
        "partner": "浙江外国语学院",
        "is_riders_team": False,
        "join_rule": Team.JoinRule.APPROVAL,
        "description": "陪老人就医、老年食堂送餐、教老人用智能手机。演示数据（Demo data）。",
        "tasks": [
            ("助老就医陪同", "闲林街道社区卫生服务中心", "会讲杭州话更好", 2),
            ("老年食堂送餐", "", "身体健康", 3),
            ("智能手机教学", "", "会用微信、健康码", 4),
        ],
    },
]
REWARDS = [("理发券", "Haircut voucher", "2", 20), ("洗车券", "Car wash voucher", "3", 10)]
REWARDS_BY_CENTER = {
    "cangqian-new-employment": [*REWARDS, ("电瓶免费充电一次", "One free battery charge", "1", 50)],
    "xianlin": [*REWARDS, ("爱心午餐", "Lunch at the elderly canteen", "2", 30)],
}
HOURS_OF_DAY = [(8, 3), (9, 3), (14, 3), (18, 2)]  # (start hour, length)


def at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _admin() -> Person:
    return Person.objects.get(mobile=DEMO_STAFF_MOBILE)


def _demo_people():
    return Person.objects.filter(is_demo=True, staff_roles__isnull=True).order_by("id").distinct()


def _filled(chosen: list[Person], used: set, least: int = 6) -> list[Person]:
    """At least `least` people (a small demo district has few riders): others of the demo
    join in, never someone already in the other team."""
    chosen = [p for p in chosen if p.pk not in used]
    for person in _demo_people():
        if len(chosen) >= least:
            break
        if person.pk not in used and person not in chosen:
            chosen.append(person)
    used.update(p.pk for p in chosen)
    return chosen


def _riders(rng: random.Random, used: set) -> list[Person]:
    """About a fifth of the demo riders (the riders' former volunteer flag)."""
    riders = list(_demo_people().filter(tags__tag=PersonTag.Tag.NEW_EMPLOYMENT))
    return _filled([p for p in riders if rng.random() < 0.2], used)


def _elders_helpers(rng: random.Random, used: set) -> list[Person]:
    people = list(
        _demo_people()
        .filter(home_region__path__startswith=_xianlin_path())
        .exclude(tags__tag=PersonTag.Tag.NEW_EMPLOYMENT)
    )
    rng.shuffle(people)
    return _filled(people[:12], used)


def _xianlin_path() -> str:
    return ServiceCenter.objects.get(slug="xianlin").region.path


def _enrol(team: Team, people: list[Person], admin: Person) -> None:
    for person in people:
        people_services.person_tag_declare(actor=person, person=person, tag=PersonTag.Tag.VOLUNTEER)
        membership = services.team_join(actor=person, team=team)
        if membership.status == membership.Status.PENDING:
            services.membership_decide(actor=admin, membership=membership, approve=True)


def _team(spec: dict, admin: Person, members: list[Person]) -> Team:
    center = ServiceCenter.objects.get(slug=spec["center"])
    team = services.team_create(
        actor=admin,
        name=spec["name"],
        name_en=spec["name_en"],
        center=center,
        description=spec["description"],
        join_rule=spec["join_rule"],
        is_riders_team=spec["is_riders_team"],
        partner=partners.partners_all_active().filter(name=spec.get("partner", "")).first(),
    )
    _enrol(team, members, admin)
    for leader in members[:2]:
        services.leader_set(actor=admin, team=team, person=leader)
    space = center.spaces.order_by("id").first()
    for title, address, skills, _places in spec["tasks"]:
        services.task_create(
            actor=members[0],
            team=team,
            title=title,
            skills=skills,
            space=None if address else space,
            address=address,
            description="演示数据（Demo data）。",
        )
    return team


def _move_back(shift: Shift, by: timedelta) -> Shift:
    """Write a shift opened ahead back to when it happened: its times, its session's, and
    its activity's sign-up window (the demo's one liberty with the clock)."""
    Shift.objects.filter(pk=shift.pk).update(start=shift.start - by, end=shift.end - by)
    shift.activity.sessions.update(start=shift.start - by, end=shift.end - by)
    type(shift.activity).objects.filter(pk=shift.activity_id).update(
        registration_opens=shift.start - by - timedelta(days=7),
        registration_closes=shift.start - by,
    )
    shift.refresh_from_db()
    shift.activity.refresh_from_db()
    return shift


def _open(task: Task, leader: Person, start: datetime, hours: int, places: int) -> Shift:
    return services.shift_open(
        actor=leader, task=task, start=start, end=start + timedelta(hours=hours), places=places
    )


def _attend(shift: Shift, registration, rng: random.Random, *, leave: bool = True) -> None:
    """Check the volunteer in (and out) at about the shift's times."""
    session = activities.only_session(shift.activity)
    entry, _created = activity_services.check_in(
        actor=registration.person,
        session=session,
        registration=registration,
        method="door_qr",
        check_window=False,
    )
    arrived = shift.start - timedelta(minutes=rng.randint(0, 15))
    left = shift.end + timedelta(minutes=rng.randint(-25, 10)) if leave else None
    type(entry).objects.filter(pk=entry.pk).update(checked_in_at=arrived, checked_out_at=left)


def _past_shifts(team: Team, members: list[Person], rng: random.Random) -> list[Shift]:
    """Three weeks of shifts behind the team, most volunteers came, some left early, one
    did not come, one forgot to check out (the last: left for the leader)."""
    leader = members[0]
    tasks = list(team.tasks.order_by("id"))
    done, today = [], timezone.localdate()
    for days_ago in range(21, 0, -3):
        task = tasks[days_ago % len(tasks)]
        hour, length = HOURS_OF_DAY[days_ago % len(HOURS_OF_DAY)]
        start = at(today - timedelta(days=days_ago), hour) + AHEAD
        shift = _open(task, leader, start, length, places=4)
        people = rng.sample(members, k=min(4, len(members)))
        registrations = [services.shift_sign_up(actor=p, shift=shift) for p in people]
        shift = _move_back(shift, AHEAD)
        for n, registration in enumerate(registrations):
            if n == 3 and days_ago % 2:
                continue  # signed up and did not come
            forgot = days_ago in (3, 12) and n == 0
            _attend(shift, registration, rng, leave=not forgot)
        done.append(shift)
    for shift in done:
        services.shift_close(shift=shift)
    return done


def _ahead(team: Team, members: list[Person], rng: random.Random) -> None:
    """Shifts for the next two weeks, signed up for; one full with a waiting list."""
    today = timezone.localdate()
    for days in range(1, 15, 2):
        shift_ahead(team, members, day=today + timedelta(days=days), rng=rng, full=days == 3)


def shift_ahead(team: Team, members: list[Person], *, day, rng=None, full=False) -> Shift:
    """A shift of the team on `day`, with a few sign-ups (`full`: more than its places)."""
    rng = rng or random.Random(day.toordinal())
    tasks = list(team.tasks.order_by("id"))
    task = tasks[day.toordinal() % len(tasks)]
    hour, length = HOURS_OF_DAY[day.toordinal() % len(HOURS_OF_DAY)]
    shift = _open(task, members[0], at(day, hour), length, places=2 if full else 4)
    wanted = 3 if full else rng.randint(1, 3)
    for person in rng.sample(members[1:], k=min(wanted, len(members) - 1)):
        if gate.overlapping_shift(person, shift) is None:
            services.shift_sign_up(actor=person, shift=shift)
    return shift


def under_way(team: Team, members: list[Person], *, now=None) -> Shift | None:
    """A shift of the team under way now (opened ahead, moved back so it began an hour
    ago), with two volunteers checked in. None outside 08:00–20:00 Shanghai time."""
    now = timezone.localtime(now or timezone.now())
    if not 8 <= now.hour < 20:
        return None
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    task = team.tasks.order_by("id").first()
    shift = _open(task, members[0], start + AHEAD, 4, places=5)
    registrations = [
        services.shift_sign_up(actor=p, shift=shift)
        for p in members[1:3]
        if gate.overlapping_shift(p, shift) is None
    ]
    shift = _move_back(shift, AHEAD)
    session = activities.only_session(shift.activity)
    for registration in registrations:
        entry, _created = activity_services.check_in(
            actor=registration.person,
            session=session,
            registration=registration,
            method="door_qr",
            check_window=False,
        )
        type(entry).objects.filter(pk=entry.pk).update(
            checked_in_at=shift.start + timedelta(minutes=5)
        )
    return shift


def _evidence() -> SimpleUploadedFile:
    """A small photo, as a leader's phone would send (generated, not a stored file)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (250, 244, 230))
    ImageDraw.Draw(image).rectangle((20, 20, 300, 180), outline=(200, 30, 30), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("evidence.png", buffer.getvalue(), content_type="image/png")


def _waiting_for_leaders(team: Team, members: list[Person], admin: Person) -> None:
    """Honour hours approved and one to approve; a correction made and one asked for."""
    leader, second = members[0], members[1]
    missed = MissedCheckOut.objects.filter(shift__task__team=team).order_by("shift__start").first()
    if missed is not None:  # the older one confirmed; the latest still waits
        services.missed_check_out_confirm(actor=leader, missed=missed)
    day = timezone.localdate() - timedelta(days=10)
    for person, approve in ((members[2], True), (members[3], False)):
        claim = services.honour_enter(
            actor=leader,
            team=team,
            person=person,
            day=day,
            minutes=180,
            reason="台风“梅花”期间参加社区防汛值守（街道通报表扬）",
            evidence=_evidence(),
        )
        if approve:
            services.honour_decide(actor=second, claim=claim, approve=True)
    credits = list(
        HoursEntry.objects.filter(team=team, kind=HoursEntry.Kind.CREDIT, minutes__gt=0)
        .exclude(person__in=members[:2])
        .order_by("id")
    )
    if credits:
        asked = services.correction_request(
            actor=credits[0].person,
            entry=credits[0],
            minutes=credits[0].minutes + 30,
            message="我提前半小时到岗布置场地，签到晚了",
        )
        services.correction_answer(
            actor=leader, request=asked, accept=True, answer="已核实，按实际到岗时间更正"
        )
    if len(credits) > 1:
        services.correction_request(
            actor=credits[-1].person,
            entry=credits[-1],
            minutes=credits[-1].minutes + 20,
            message="签退时手机没电，实际多服务了二十分钟",
        )


def _rewards(admin: Person, members: list[Person]) -> None:
    for slug, items in REWARDS_BY_CENTER.items():
        center = ServiceCenter.objects.get(slug=slug)
        for name, name_en, points, stock in items:
            services.reward_item_save(
                actor=admin, center=center, name=name, name_en=name_en, points=points, stock=stock
            )
    center = ServiceCenter.objects.get(slug="cangqian-new-employment")
    item = rewards_of(center).order_by("points").first()
    for person in members:
        if points_of(person) >= item.points:
            services.redeem(actor=admin, item=item, person=person)
            return


def _certificates(team: Team, members: list[Person], admin: Person) -> None:
    today = timezone.localdate()
    busiest = sorted(members[2:], key=lambda p: -hours_of(p, team=team).total)
    for person in busiest[:1]:
        if HoursEntry.objects.filter(team=team, person=person).exists():
            services.service_certificate_issue(
                actor=person,
                team=team,
                person=person,
                period_start=today - timedelta(days=30),
                period_end=today - timedelta(days=1),
            )
            return


def _training_certificates(admin: Person) -> None:
    training = (
        activities.activities_for_staff(admin)
        .filter(kind="training", status="finished")
        .order_by("id")
        .first()
    )
    if training is not None:
        services.training_certificates_issue(actor=admin, activity=training, min_sessions=2)


def _a_join_request(team: Team, rng: random.Random) -> None:
    """Someone asked to join the approval team and waits for a leader."""
    person = _demo_people().exclude(volunteer_memberships__isnull=False).first()
    if person is not None:
        people_services.person_tag_declare(actor=person, person=person, tag=PersonTag.Tag.VOLUNTEER)
        services.team_join(actor=person, team=team)


def load_demo() -> dict:
    """The two teams and their history, on a database without any team."""
    if Team.objects.exists():
        return {"volunteer_teams_created": 0}
    rng = random.Random(SEED)
    admin = _admin()
    used: set = set()
    crews = [(TEAMS[0], _riders(rng, used)), (TEAMS[1], _elders_helpers(rng, used))]
    made = []
    for spec, members in crews:
        team = _team(spec, admin, members)
        _past_shifts(team, members, rng)
        _waiting_for_leaders(team, members, admin)
        _ahead(team, members, rng)
        under_way(team, members)
        made.append((team, members))
    _rewards(admin, made[0][1])
    for team, members in made:
        _certificates(team, members, admin)
    _training_certificates(admin)
    _a_join_request(made[1][0], rng)
    return {"volunteer_teams_created": len(made)}
