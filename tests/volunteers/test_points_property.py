"""Over random histories (credit hours from attendance, honour hours approved, corrections,
redemptions that may be refused, expiries at random rates and periods), a volunteer's
points balance is always the sum of their points entries and never below zero, and their
hours are always the sum of their ledger — on the real database (SQLite and PostgreSQL)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangqun.activities import services as activity_services
from dangqun.activities.models import CheckIn
from dangqun.core.errors import DomainError
from dangqun.volunteers import selectors, services
from dangqun.volunteers.models import HoursEntry, PointsAccount, PointsEntry
from dangqun.volunteers.services import points

from .conftest import make_crew, open_shift

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

steps = st.lists(
    st.one_of(
        st.tuples(st.just("credit"), st.integers(0, 200), st.integers(60, 200)),
        st.tuples(st.just("honour"), st.integers(1, 24 * 60)),
        st.tuples(st.just("correct"), st.integers(0, 30), st.integers(0, 600)),
        st.tuples(st.just("redeem"), st.integers(1, 8)),
        st.tuples(st.just("expire"), st.integers(0, 400)),
    ),
    min_size=1,
    max_size=8,
)


def _credit(crew, person, n: int, arrive: int, stay: int) -> None:
    shift = open_shift(crew, crew.leader, days=2 + n, hour=8, hours=3, places=3)
    registration = services.shift_sign_up(actor=person, shift=shift)
    entry, _created = activity_services.check_in(
        actor=person,
        session=shift.activity.sessions.get(),
        registration=registration,
        method="door_qr",
        check_window=False,
    )
    CheckIn.objects.filter(pk=entry.pk).update(
        checked_in_at=shift.start + timedelta(minutes=arrive % 60),
        checked_out_at=shift.start + timedelta(minutes=arrive % 60 + stay),
    )
    services.ledger.credit_check_in(shift=shift, check_in=CheckIn.objects.get(pk=entry.pk))


def _honour(crew, person, n: int, minutes: int) -> None:
    claim = services.honour_enter(
        actor=crew.leader,
        team=crew.team,
        person=person,
        day=timezone.localdate() - timedelta(days=n),
        minutes=minutes,
        reason="防汛值守",
        evidence=SimpleUploadedFile("p.pdf", PDF, content_type="application/pdf"),
    )
    services.honour_decide(actor=crew.leader2, claim=claim, approve=True)


def _correct(crew, person, pick: int, minutes: int) -> None:
    entries = list(HoursEntry.objects.filter(person=person, minutes__gt=0).order_by("id"))
    if entries:
        services.entry_correct(
            actor=crew.leader, entry=entries[pick % len(entries)], minutes=minutes, reason="核对"
        )


def _redeem(crew, person, cost: int) -> None:
    item = services.reward_item_save(
        actor=crew.staff, center=crew.tree.xianlin_center, name="理发券", points=cost, stock=1
    )
    services.redeem(actor=crew.staff, item=item, person=person)


def _expire(person, days: int) -> None:
    services.points_expire(person=person, now=timezone.now() + timedelta(days=days))


def _check(person) -> None:
    balance = points.balance_of(person)
    assert balance == points.ledger_sum(person)
    assert balance >= 0
    ledger = HoursEntry.objects.filter(person=person).aggregate(total=Sum("minutes"))["total"]
    assert selectors.hours_of(person).total == (ledger or 0)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=steps,
    honour_rate=st.sampled_from(["0", "0.5", "1", "2.25"]),
    expire_days=st.sampled_from([None, 1, 30, 365]),
)
def test_balance_is_the_sum_of_the_ledger_for_any_history(
    district, history, honour_rate, expire_days
):
    rules = {
        "CREDIT_MIN_SHARE": 0.6,
        "STAR_HOURS": [100, 300, 600, 1000, 1500],
        "POINTS_PER_CREDIT_HOUR": "1",
        "POINTS_PER_HONOUR_HOUR": honour_rate,
        "POINTS_EXPIRE_DAYS": expire_days,
        "CANCEL_CUTOFF_HOURS": 12,
        "CJK_FONT": "",
    }
    with override_settings(VOLUNTEERS=rules):
        crew = make_crew(district, members=1, places=3)
        person = crew.members[0]
        for n, (kind, *args) in enumerate(history):
            try:
                if kind == "credit":
                    _credit(crew, person, n, *args)
                elif kind == "honour":
                    _honour(crew, person, n, *args)
                elif kind == "correct":
                    _correct(crew, person, *args)
                elif kind == "redeem":
                    _redeem(crew, person, *args)
                else:
                    _expire(person, *args)
            except DomainError:
                pass  # a refusal (too many hours in a day, not enough points) changes nothing
            _check(person)


def test_the_database_refuses_a_negative_balance(crew):
    account = PointsAccount.objects.create(person=crew.members[0])
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PointsAccount.objects.filter(pk=account.pk).update(balance=Decimal("-1"))


def test_points_entries_are_append_only(crew):
    _credit(crew, crew.members[0], 0, 0, 180)
    entry = PointsEntry.objects.get()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        PointsEntry.objects.all().delete()


def test_a_reversal_takes_back_only_what_is_left(crew):
    person = crew.members[0]
    _credit(crew, person, 0, 0, 180)  # 3 points
    _redeem(crew, person, 2)
    entry = HoursEntry.objects.get(person=person)
    services.entry_correct(actor=crew.leader, entry=entry, minutes=0, reason="误记")
    assert points.balance_of(person) == 0
    assert list(
        PointsEntry.objects.filter(account__person=person).values_list("kind", "points")
    ) == [("earn", Decimal("3.00")), ("redeem", Decimal("-2.00")), ("take_back", Decimal("-1.00"))]
