"""Time-bank points. Each account's balance is the sum of its entries: an entry and the
balance change together under the account's row lock, and the balance never goes below
zero (a check constraint). Hours earn points at their kind's rate; a reversed entry takes
back what it earned, as far as the balance goes; staff register redemptions from a
center's catalogue (its stock never below zero); unspent points may expire."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.errors import ValidationFailed
from dangqun.core.numbers import whole_number
from dangqun.core.text import clean_text
from dangqun.people import access

from .. import rules
from ..models import HoursEntry, PointsAccount, PointsEntry, Redemption, RewardItem

ZERO = Decimal("0")


def _account(person) -> PointsAccount:
    """The person's account, locked (opened on first use)."""
    try:
        with transaction.atomic():
            PointsAccount.objects.get_or_create(person=person)
    except IntegrityError:  # opened by another transaction at this moment
        pass
    return PointsAccount.objects.select_for_update().get(person=person)


def _post(account: PointsAccount, kind: str, points: Decimal, **links) -> PointsEntry:
    entry = PointsEntry(
        account=account, kind=kind, points=points, created_at=timezone.now(), **links
    )
    entry.save()
    # The new balance is computed here, in decimal, from the row as locked: SQLite's sum
    # of two decimals in SQL is a float (0.1 + 0.35 = 0.44999...), and the balance must be
    # the exact sum of the entries.
    account.balance += points
    PointsAccount.objects.filter(pk=account.pk).update(balance=account.balance)
    return entry


def points_for_entry(entry: HoursEntry) -> PointsEntry | None:
    """What an hours entry earns (or, a reversal, takes back). Called in its transaction."""
    if entry.minutes > 0:
        points = rules.points_for(entry.kind, entry.minutes)
        if points <= 0:
            return None
        return _post(_account(entry.person), PointsEntry.Kind.EARN, points, hours_entry=entry)
    earned = (
        PointsEntry.objects.filter(hours_entry=entry.reverses_id)
        .values_list("points", flat=True)
        .first()
        if entry.reverses_id
        else None
    )
    if not earned:
        return None
    account = _account(entry.person)
    back = min(earned, account.balance)  # what was spent already stays spent
    if back <= 0:
        return None
    return _post(account, PointsEntry.Kind.TAKE_BACK, -back, hours_entry=entry)


def balance_of(person) -> Decimal:
    return (
        PointsAccount.objects.filter(person=person).values_list("balance", flat=True).first()
        or ZERO
    )


def _total(entries) -> Decimal:
    """Points summed in decimal (SQLite sums decimals as floats)."""
    return sum(entries.values_list("points", flat=True), ZERO)


def ledger_sum(person) -> Decimal:
    return _total(PointsEntry.objects.filter(account__person=person))


def _points(value, *, field: str) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(rules.CENT)
    except (ArithmeticError, ValueError, TypeError):
        points = ZERO
    if not ZERO < points <= Decimal("100000"):
        raise ValidationFailed(_("Enter the points, more than 0."), field=field)
    return points


def _stock(value) -> int:
    return whole_number(
        value, field="stock", low=0, high=1_000_000, message=_("Enter the stock (0 or more).")
    )


@transaction.atomic
def reward_item_save(
    *,
    actor,
    center,
    name: str,
    points,
    stock,
    name_en: str = "",
    item: RewardItem | None = None,
    is_active: bool = True,
) -> RewardItem:
    """A reward of a center's catalogue, new or changed; staff of the center only."""
    access.require(actor, access.MANAGERS, center if item is None else item.center)
    values = {
        "name": clean_text(name, field="name", max_length=120, required=True),
        "name_en": clean_text(name_en, field="name_en", max_length=120),
        "points": _points(points, field="points"),
        "stock": _stock(stock),
        "is_active": bool(is_active),
    }
    if item is None:
        item = RewardItem.objects.create(center=center, **values)
    else:
        RewardItem.objects.filter(pk=item.pk).update(**values)
        item.refresh_from_db()
    audit.record(actor, "volunteer_reward.save", item, {"points": str(values["points"])})
    return item


@transaction.atomic
def redeem(*, actor, item: RewardItem, person) -> Redemption:
    """Staff give a reward for points: one from the stock, its points from the balance."""
    access.require(actor, access.MANAGERS, item.center)
    taken = RewardItem.objects.filter(pk=item.pk, is_active=True, stock__gt=0).update(
        stock=F("stock") - 1
    )
    if not taken:
        raise ValidationFailed(_("This reward is not in stock."), field="item")
    account = _account(person)
    if account.balance < item.points:
        raise ValidationFailed(
            _("Not enough points: %(have)s, this needs %(need)s.")
            % {"have": account.balance, "need": item.points},
            field="person",
        )
    redemption = Redemption.objects.create(item=item, person=person, points=item.points, by=actor)
    _post(account, PointsEntry.Kind.REDEEM, -item.points, redemption=redemption)
    audit.record(actor, "volunteer_points.redeem", redemption, {"points": str(item.points)})
    return redemption


@transaction.atomic
def points_expire(*, person, now=None, actor=None) -> Decimal:
    """Points earned before the expiry period and not spent since expire: debits (spent,
    taken back, expired) use the oldest points first, so what is left of the old ones is
    what was earned then minus every debit so far. Returns the points expired. `actor`:
    the member of staff who ran it (None: the worker's round)."""
    period = rules.points_expire_after()
    if period is None:
        return ZERO
    now = now or timezone.now()
    account = _account(person)
    entries = PointsEntry.objects.filter(account=account)
    old = _total(entries.filter(kind=PointsEntry.Kind.EARN, created_at__lte=now - period))
    debits = -_total(entries.filter(points__lt=0))
    due = min(old - debits, account.balance)
    if due <= 0:
        return ZERO
    _post(account, PointsEntry.Kind.EXPIRE, -due)
    audit.record(actor, "volunteer_points.expire", account, {"points": str(due)})
    return due


def points_expire_all(*, now=None) -> int:
    if rules.points_expire_after() is None:
        return 0
    accounts = PointsAccount.objects.filter(balance__gt=0).select_related("person")
    return sum(1 for account in accounts if points_expire(person=account.person, now=now) > 0)
