"""The volunteers' rules, through their services on the real database: teams, the shift gate
(members only, no overlap), the activities' places and waiting list, the cut-off, swaps,
check-in and check-out turned into credit hours, missed check-outs, honour hours and their
second person, corrections, points, rewards and certificates."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from dangqun.activities import services as activity_services
from dangqun.activities.models import CheckIn, Registration
from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.models import AuditEntry
from dangqun.volunteers import rules, selectors, services
from dangqun.volunteers.models import (
    Certificate,
    HonourClaim,
    HoursEntry,
    Membership,
    MissedCheckOut,
    PointsEntry,
)
from tests import factories

from .conftest import at, open_shift, volunteer

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def evidence():
    return SimpleUploadedFile("proof.pdf", PDF, content_type="application/pdf")


def attend(shift, person, *, arrive_after=0, leave_after=None, registration=None):
    """Sign up (unless signed up already), check in and (unless leave_after is None) out,
    at minutes after the start."""
    registration = registration or services.shift_sign_up(actor=person, shift=shift)
    session = shift.activity.sessions.get()
    entry, _created = activity_services.check_in(
        actor=person,
        session=session,
        registration=registration,
        method="door_qr",
        check_window=False,
    )
    CheckIn.objects.filter(pk=entry.pk).update(
        checked_in_at=shift.start + timedelta(minutes=arrive_after),
        checked_out_at=None
        if leave_after is None
        else shift.start + timedelta(minutes=leave_after),
    )
    return registration, CheckIn.objects.get(pk=entry.pk)


# --- teams ---------------------------------------------------------------------------------


def test_join_needs_the_volunteer_group(crew):
    outsider = factories.PersonFactory()
    with pytest.raises(ValidationFailed) as refused:
        services.team_join(actor=outsider, team=crew.team)
    assert refused.value.field == "volunteer"


def test_team_asking_for_verified_volunteers_refuses_a_declared_one(crew):
    crew.team.requires_verified = True
    crew.team.save()
    with pytest.raises(ValidationFailed) as refused:
        services.team_join(actor=volunteer(), team=crew.team)
    assert refused.value.field == "volunteer"


def test_approval_team_waits_for_a_leader(crew):
    crew.team.join_rule = "approval"
    crew.team.save()
    person = volunteer()
    membership = services.team_join(actor=person, team=crew.team)
    assert membership.status == Membership.Status.PENDING
    with pytest.raises(NotFound):
        services.membership_decide(actor=crew.members[0], membership=membership, approve=True)
    services.membership_decide(actor=crew.leader, membership=membership, approve=True)
    assert selectors.is_member(person, crew.team)


def test_join_twice_is_refused(crew):
    with pytest.raises(ValidationFailed):
        services.team_join(actor=crew.members[0], team=crew.team)


# --- shifts: the gate, places, the waiting list ------------------------------------------------


def test_a_non_member_cannot_take_a_shift_by_any_door(crew):
    outsider = volunteer()
    with pytest.raises(activity_services.NotEligible):
        services.shift_sign_up(actor=outsider, shift=crew.shift)
    # Nor through the activity's own sign-up, which asks the same gate.
    with pytest.raises(activity_services.NotEligible):
        activity_services.registration_create(actor=outsider, activity=crew.shift.activity)


def test_places_then_the_waiting_list(crew):
    first, second, third = crew.members
    assert services.shift_sign_up(actor=first, shift=crew.shift).status == "confirmed"
    assert services.shift_sign_up(actor=second, shift=crew.shift).status == "confirmed"
    assert services.shift_sign_up(actor=third, shift=crew.shift).status == "waitlisted"
    crew.shift.activity.refresh_from_db()
    assert crew.shift.activity.taken == 2


def test_overlapping_shifts_of_one_person_are_refused(crew):
    services.shift_sign_up(actor=crew.members[0], shift=crew.shift)
    overlapping = services.shift_open(
        actor=crew.leader,
        task=crew.task,
        start=crew.shift.start + timedelta(hours=1),
        end=crew.shift.end + timedelta(hours=1),
        places=3,
    )
    with pytest.raises(activity_services.NotEligible) as refused:
        services.shift_sign_up(actor=crew.members[0], shift=overlapping)
    assert "陪老人就医" in str(refused.value.message)
    later = open_shift(crew, crew.leader, hour=14, hours=2)
    assert services.shift_sign_up(actor=crew.members[0], shift=later).status == "confirmed"


def test_shift_public_list_excludes_shifts_from_activities():
    from dangqun.activities import selectors as activities

    assert all(a.owner == "" for a in activities.activities_public())


def test_withdraw_before_the_cut_off_gives_the_place_to_the_next(crew):
    first, second, third = crew.members
    services.shift_sign_up(actor=first, shift=crew.shift)
    services.shift_sign_up(actor=second, shift=crew.shift)
    waiting = services.shift_sign_up(actor=third, shift=crew.shift)
    services.shift_withdraw(actor=first, shift=crew.shift)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_withdraw_after_the_cut_off_is_refused(crew):
    services.shift_sign_up(actor=crew.members[0], shift=crew.shift)
    late = crew.shift.start - rules.cancel_cutoff() + timedelta(minutes=1)
    with pytest.raises(ValidationFailed) as refused:
        services.shift_withdraw(actor=crew.members[0], shift=crew.shift, now=late)
    assert refused.value.field == "shift"


def test_leader_assigns_a_member_and_not_an_outsider(crew):
    registration = services.shift_assign(
        actor=crew.leader, shift=crew.shift, person=crew.members[1]
    )
    assert registration.person == crew.members[1] and registration.status == "confirmed"
    with pytest.raises(ValidationFailed) as refused:
        services.shift_assign(actor=crew.leader, shift=crew.shift, person=volunteer())
    assert refused.value.field == "person"
    with pytest.raises(NotFound):
        services.shift_assign(actor=crew.members[0], shift=crew.shift, person=crew.members[2])


# --- swaps ---------------------------------------------------------------------------------


def test_swap_hands_over_the_same_place(crew):
    first, second, _third = crew.members
    services.shift_sign_up(actor=first, shift=crew.shift)
    swap = services.swap_offer(actor=first, shift=crew.shift, to_person=second)
    services.swap_answer(actor=second, swap=swap, accept=True)
    held = Registration.objects.filter(activity=crew.shift.activity, status="confirmed")
    assert [r.person for r in held] == [second]
    crew.shift.activity.refresh_from_db()
    assert crew.shift.activity.taken == 1


def test_swap_to_a_non_member_is_refused(crew):
    services.shift_sign_up(actor=crew.members[0], shift=crew.shift)
    with pytest.raises(ValidationFailed) as refused:
        services.swap_offer(actor=crew.members[0], shift=crew.shift, to_person=volunteer())
    assert refused.value.field == "to_person"


def test_only_the_person_offered_answers_a_swap(crew):
    first, second, third = crew.members
    services.shift_sign_up(actor=first, shift=crew.shift)
    swap = services.swap_offer(actor=first, shift=crew.shift, to_person=second)
    with pytest.raises(NotFound):
        services.swap_answer(actor=third, swap=swap, accept=True)


# --- credit hours --------------------------------------------------------------------------


def test_check_out_credits_the_overlap_with_the_shift(crew):
    registration, check_in = attend(crew.shift, crew.members[0], arrive_after=-20, leave_after=150)
    entry = services.ledger.credit_check_in(shift=crew.shift, check_in=check_in)
    assert entry.minutes == 150 and entry.kind == "credit" and entry.source == "attendance"
    # Counted once.
    assert services.ledger.credit_check_in(shift=crew.shift, check_in=check_in) is None
    assert HoursEntry.objects.filter(person=crew.members[0]).count() == 1


def test_below_the_minimum_share_nothing_is_credited(crew):
    _registration, check_in = attend(crew.shift, crew.members[0], leave_after=60)  # 60 of 180
    assert services.ledger.credit_check_in(shift=crew.shift, check_in=check_in) is None


def test_leader_checks_in_and_out_by_short_code(crew, settings):
    registration = services.shift_sign_up(actor=crew.members[0], shift=crew.shift)
    crew.shift.activity.sessions.update(start=timezone.now() - timedelta(hours=3))
    type(crew.shift).objects.filter(pk=crew.shift.pk).update(
        start=timezone.now() - timedelta(hours=3), end=timezone.now() + timedelta(hours=1)
    )
    crew.shift.refresh_from_db()
    entry, created = services.shift_check_in(
        actor=crew.leader, shift=crew.shift, code=registration.short_code.lower()
    )
    assert created
    CheckIn.objects.filter(pk=entry.pk).update(checked_in_at=crew.shift.start)
    services.shift_check_out(actor=crew.leader, shift=crew.shift, code=registration.short_code)
    credited = HoursEntry.objects.get(person=crew.members[0])
    assert 170 <= credited.minutes <= 181
    with pytest.raises(ValidationFailed) as refused:
        services.shift_check_in(actor=crew.leader, shift=crew.shift, code="ZZZZZZ")
    assert refused.value.field == "code"


def test_missed_check_out_waits_for_a_leader(crew):
    _registration, check_in = attend(crew.shift, crew.members[0], leave_after=None)
    services.shift_close(shift=crew.shift)
    missed = MissedCheckOut.objects.get()
    assert not HoursEntry.objects.exists()
    with pytest.raises(ValidationFailed):
        services.missed_check_out_confirm(
            actor=crew.leader, missed=missed, left=crew.shift.end + timedelta(hours=1)
        )
    entry = services.missed_check_out_confirm(
        actor=crew.leader, missed=missed, left=crew.shift.start + timedelta(minutes=150)
    )
    assert entry.minutes == 150 and entry.source == "missed_check_out"
    assert entry.entered_by == crew.leader
    assert services.shift_close(shift=crew.shift) == 0  # closed once


# --- honour hours --------------------------------------------------------------------------


def honour(crew, *, minutes=120, by=None, person=None, day=None):
    return services.honour_enter(
        actor=by or crew.leader,
        team=crew.team,
        person=person or crew.members[0],
        day=day or timezone.localdate() - timedelta(days=2),
        minutes=minutes,
        reason="防汛值守",
        evidence=evidence(),
    )


def test_honour_needs_evidence(crew):
    with pytest.raises(ValidationFailed) as refused:
        services.honour_enter(
            actor=crew.leader,
            team=crew.team,
            person=crew.members[0],
            day=timezone.localdate(),
            minutes=60,
            reason="防汛值守",
            evidence=None,
        )
    assert refused.value.field == "evidence"
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationFailed) as refused:
        services.honour_enter(
            actor=crew.leader,
            team=crew.team,
            person=crew.members[0],
            day=timezone.localdate(),
            minutes=60,
            reason="防汛值守",
            evidence=fake,
        )
    assert refused.value.field == "evidence"
    assert not HonourClaim.objects.exists()


def test_honour_is_approved_by_a_second_person_only(crew):
    claim = honour(crew)
    with pytest.raises(ValidationFailed) as refused:
        services.honour_decide(actor=crew.leader, claim=claim, approve=True)
    assert refused.value.field == "approval"
    assert not HoursEntry.objects.exists()
    services.honour_decide(actor=crew.leader2, claim=claim, approve=True)
    entry = HoursEntry.objects.get()
    assert (entry.kind, entry.source, entry.minutes) == ("honour", "approval", 120)


def test_the_database_refuses_an_author_approving_their_own_claim(crew):
    claim = honour(crew)
    with pytest.raises(IntegrityError):
        HonourClaim.objects.filter(pk=claim.pk).update(decided_by=crew.leader)


def test_honour_over_24_hours_in_a_day_is_refused(crew):
    with pytest.raises(ValidationFailed) as refused:
        honour(crew, minutes=25 * 60)
    assert refused.value.field == "minutes"
    first = honour(crew, minutes=20 * 60)
    services.honour_decide(actor=crew.leader2, claim=first, approve=True)
    with pytest.raises(ValidationFailed) as refused:
        honour(crew, minutes=5 * 60)
    assert refused.value.field == "minutes"


def test_honour_for_a_non_member_is_refused(crew):
    with pytest.raises(ValidationFailed) as refused:
        honour(crew, person=volunteer())
    assert refused.value.field == "person"


def test_a_member_cannot_enter_honour_hours(crew):
    with pytest.raises(NotFound):
        honour(crew, by=crew.members[1])


# --- corrections and the append-only ledger -------------------------------------------------


def test_correction_reverses_and_replaces(crew):
    _registration, check_in = attend(crew.shift, crew.members[0], leave_after=180)
    entry = services.ledger.credit_check_in(shift=crew.shift, check_in=check_in)
    asked = services.correction_request(
        actor=crew.members[0], entry=entry, minutes=200, message="我提前到了二十分钟"
    )
    services.correction_answer(actor=crew.leader, request=asked, accept=True)
    lines = list(HoursEntry.objects.filter(person=crew.members[0]).order_by("id"))
    assert [(e.source, e.minutes) for e in lines] == [
        ("attendance", 180),
        ("reversal", -180),
        ("correction", 200),
    ]
    assert lines[1].reverses == entry and lines[2].replaces == entry
    assert selectors.hours_of(crew.members[0]).credit == 200
    with pytest.raises(ValidationFailed):
        services.entry_correct(actor=crew.leader, entry=entry, minutes=10, reason="again")


def test_ledger_entries_cannot_be_changed_or_deleted(crew):
    claim = honour(crew)
    services.honour_decide(actor=crew.leader2, claim=claim, approve=True)
    entry = HoursEntry.objects.get()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        HoursEntry.objects.filter(pk=entry.pk).update(minutes=1)
    with pytest.raises(TypeError):
        HoursEntry.objects.all().delete()


def test_a_volunteer_asks_only_about_their_own_entries(crew):
    claim = honour(crew)
    services.honour_decide(actor=crew.leader2, claim=claim, approve=True)
    with pytest.raises(NotFound):
        services.correction_request(
            actor=crew.members[1], entry=HoursEntry.objects.get(), minutes=1, message="x"
        )


# --- stars, points, rewards ------------------------------------------------------------------


def test_stars_follow_the_thresholds(settings):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "STAR_HOURS": [1, 2, 3, 4, 5]}
    assert [rules.stars_for(m) for m in (0, 59, 60, 150, 300, 9999)] == [0, 0, 1, 2, 5, 5]
    assert rules.next_star(150) == 3 and rules.next_star(300) is None


def test_hours_shown_in_half_hours_rounded_down():
    assert [rules.half_hours(m) for m in (0, 29, 30, 89, 90)] == [0, 0, Decimal("0.5"), 1, 1.5]


def test_credit_earns_points_and_honour_by_its_own_rate(crew, settings):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "POINTS_PER_HONOUR_HOUR": "0.5"}
    _registration, check_in = attend(crew.shift, crew.members[0], leave_after=180)
    services.ledger.credit_check_in(shift=crew.shift, check_in=check_in)
    claim = honour(crew, minutes=60)
    services.honour_decide(actor=crew.leader2, claim=claim, approve=True)
    assert selectors.points_of(crew.members[0]) == Decimal("3.50")


def test_redemption_spends_points_and_stock_and_refuses_beyond(crew):
    _registration, check_in = attend(crew.shift, crew.members[0], leave_after=180)
    services.ledger.credit_check_in(shift=crew.shift, check_in=check_in)
    staff = factories.staff("center_staff", crew.tree.xianlin, crew.tree.xianlin_center)
    item = services.reward_item_save(
        actor=staff, center=crew.tree.xianlin_center, name="理发券", points="2", stock=1
    )
    services.redeem(actor=staff, item=item, person=crew.members[0])
    assert selectors.points_of(crew.members[0]) == Decimal("1.00")
    with pytest.raises(ValidationFailed) as refused:
        services.redeem(actor=staff, item=item, person=crew.members[0])
    assert refused.value.field == "item"
    item.refresh_from_db()
    assert item.stock == 0


def test_points_expire_oldest_first(crew, settings):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "POINTS_EXPIRE_DAYS": 30}
    _registration, check_in = attend(crew.shift, crew.members[0], leave_after=180)
    services.ledger.credit_check_in(shift=crew.shift, check_in=check_in)
    assert services.points_expire(person=crew.members[0]) == 0
    later = timezone.now() + timedelta(days=31)
    assert services.points_expire(person=crew.members[0], now=later) == Decimal("3.00")
    assert selectors.points_of(crew.members[0]) == 0
    assert PointsEntry.objects.filter(kind="expire").count() == 1


# --- certificates ----------------------------------------------------------------------------


def test_service_certificate_copies_the_ledger(crew):
    _registration, check_in = attend(crew.shift, crew.members[0], leave_after=180)
    services.ledger.credit_check_in(shift=crew.shift, check_in=check_in)
    claim = honour(crew, minutes=60, day=timezone.localdate())
    services.honour_decide(actor=crew.leader2, claim=claim, approve=True)
    today = timezone.localdate()
    with pytest.raises(ValidationFailed):  # the shift is tomorrow: not yet in a past period
        services.service_certificate_issue(
            actor=crew.members[0],
            team=crew.team,
            person=crew.members[0],
            period_start=today,
            period_end=today + timedelta(days=1),
        )
    certificate = services.service_certificate_issue(
        actor=crew.members[0],
        team=crew.team,
        person=crew.members[0],
        period_start=today - timedelta(days=30),
        period_end=today,
    )
    assert certificate.honour_minutes == 60 and certificate.credit_minutes == 0
    assert certificate.name_masked == "志***"  # 志愿者0
    assert selectors.certificate_public(certificate.serial.lower()) == certificate
    services.certificate_revoke(actor=crew.staff, certificate=certificate, reason="重复开具")
    assert not selectors.certificate_public(certificate.serial).is_valid
    assert AuditEntry.objects.filter(action="certificate.revoke").exists()


def test_training_certificate_follows_the_attendance_rule(district):
    staff = factories.staff("street_admin", district.xianlin)
    training = factories.activity(district.xianlin_center, kind="training", sessions=3)
    came_thrice, came_twice = factories.PersonFactory(), factories.PersonFactory()
    for person, times in ((came_thrice, 3), (came_twice, 2)):
        registration = activity_services.registration_create(actor=person, activity=training)
        for session in list(training.sessions.order_by("start"))[:times]:
            activity_services.check_in(
                actor=staff,
                session=session,
                registration=registration,
                method="short_code",
                check_window=False,
            )
    issued = services.training_certificates_issue(actor=staff, activity=training)
    assert [c.person for c in issued] == [came_thrice]
    more = services.training_certificates_issue(actor=staff, activity=training, min_sessions=2)
    assert [c.person for c in more] == [came_twice]
    assert "2" in more[0].rule and "3" in more[0].rule
    assert Certificate.objects.filter(kind="training").count() == 2
    with pytest.raises(ValidationFailed) as refused:
        services.training_certificates_issue(actor=staff, activity=training, min_sessions=9)
    assert refused.value.field == "min_sessions"


def test_riders_tick_joins_the_riders_team(district):
    staff = factories.staff("street_admin", district.cangqian)
    services.team_create(
        actor=staff, name="小哥志愿服务队", center=district.cangqian_center, is_riders_team=True
    )
    rider = factories.PersonFactory()
    services.riders_team_set(actor=rider, join=True)
    assert selectors.is_in_riders_team(rider) and selectors.riders_team_size() == 1
    services.riders_team_set(actor=rider, join=False)
    assert not selectors.is_in_riders_team(rider)


def test_shift_open_refuses_bad_times_and_places(crew):
    with pytest.raises(ValidationFailed) as refused:
        services.shift_open(
            actor=crew.leader, task=crew.task, start=at(1, 9), end=at(1, 8), places=2
        )
    assert refused.value.field == "end"
    with pytest.raises(ValidationFailed) as refused:
        services.shift_open(
            actor=crew.leader, task=crew.task, start=at(1, 9), end=at(1, 10), places=10**30
        )
    assert refused.value.field == "places"
    with pytest.raises(ValidationFailed) as refused:
        services.shift_open(
            actor=crew.leader, task=crew.task, start=at(-1, 9), end=at(-1, 10), places=2
        )
    assert refused.value.field == "start"
