"""Sign-in: one-time SMS codes, staff passwords, API tokens. Limits are counted in the
database so they hold across every server process."""

import atexit
import contextlib
import hashlib
import hmac
import secrets
import threading
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangqun.core import audit, rows, sms
from dangqun.core.errors import RateLimited, ValidationFailed
from dangqun.core.text import clean_text
from dangqun.people import identity
from dangqun.people.models import Person
from dangqun.people.services import person_get_or_create

from .models import ApiToken, PasswordFailure, SignInCode

LIMITS = settings.SIGN_IN


def _hash_code(mobile: str, code: str) -> str:
    # Six digits are few: key the hash with the secret and the number so a leaked table
    # cannot be brute-forced offline.
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def _check_code_limits(mobile: str, ip: str | None, now) -> None:
    recent = SignInCode.objects.filter(mobile=mobile, created_at__gte=now - timedelta(hours=1))
    last = recent.order_by("-created_at").first()
    if last and (now - last.created_at).total_seconds() < LIMITS["CODE_RESEND_SECONDS"]:
        raise RateLimited(
            _("A code was just sent. Please wait a minute before asking again."), field="mobile"
        )
    if recent.count() >= LIMITS["CODES_PER_MOBILE_PER_HOUR"]:
        raise RateLimited(
            _("Too many codes for this number. Please try again in an hour."), field="mobile"
        )
    if (
        ip
        and SignInCode.objects.filter(ip=ip, created_at__gte=now - timedelta(hours=1)).count()
        >= LIMITS["CODES_PER_IP_PER_HOUR"]
    ):
        raise RateLimited(
            _("Too many codes from this network. Please try again later."), field="mobile"
        )


@transaction.atomic
def sign_in_code_send(*, mobile: str, ip: str | None) -> SignInCode:
    mobile = identity.normalize_mobile(mobile)
    now = timezone.now()
    _check_code_limits(mobile, ip, now)
    code = f"{secrets.randbelow(10**6):06d}"
    record = SignInCode.objects.create(
        mobile=mobile,
        code_hash=_hash_code(mobile, code),
        ip=ip,
        expires_at=now + timedelta(seconds=LIMITS["CODE_TTL_SECONDS"]),
    )
    text = _(
        "[Party-Mass Service] Your sign-in code is %(code)s, valid for 5 minutes. "
        "Do not tell anyone."
    ) % {"code": code}
    transaction.on_commit(lambda: sms.send(mobile, text))
    return record


def sign_in_code_verify(*, mobile: str, code: str, consent: bool = False) -> Person:
    """Check a code against the newest one sent to the number; at most 5 tries, 5 minutes."""
    mobile = identity.normalize_mobile(mobile)
    now = timezone.now()
    record = (
        SignInCode.objects.filter(mobile=mobile, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    # The try is counted before the code is compared, in one UPDATE, so parallel guesses
    # cannot get past the limit; it is committed even when the guess is wrong.
    counted = record is not None and SignInCode.objects.filter(
        pk=record.pk, used_at__isnull=True, tries__lt=LIMITS["CODE_MAX_TRIES"]
    ).update(tries=F("tries") + 1)
    if not counted:
        raise ValidationFailed(
            _("This code has expired or was tried too often. Please ask for a new one."),
            field="code",
            code="code_expired",
        )
    if not hmac.compare_digest(record.code_hash, _hash_code(mobile, (code or "").strip())):
        raise ValidationFailed(
            _("The code is not right. Please check the message."), field="code", code="code_wrong"
        )
    return _sign_in_code_use(record=record, consent=consent, now=now)


@transaction.atomic
def _sign_in_code_use(*, record: SignInCode, consent: bool, now) -> Person:
    person, _created = person_get_or_create(mobile=record.mobile, consent=consent)
    if not person.is_active:
        raise ValidationFailed(
            _("This account is switched off. Please ask the center."), field="mobile"
        )
    used = SignInCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=now)
    if not used:
        raise ValidationFailed(
            _("This code has expired or was tried too often. Please ask for a new one."),
            field="code",
            code="code_expired",
        )
    return person


def password_sign_in(*, mobile: str, password: str, ip: str | None) -> Person:
    """Staff sign-in by password; locked for a while after repeated failures."""
    mobile = identity.normalize_mobile(mobile)
    since = timezone.now() - timedelta(seconds=LIMITS["PASSWORD_LOCK_SECONDS"])
    failures = PasswordFailure.objects.filter(mobile=mobile, at__gte=since).count()
    from_ip = PasswordFailure.objects.filter(ip=ip, at__gte=since).count() if ip else 0
    if from_ip >= LIMITS["PASSWORD_FAILURES_PER_IP"]:
        raise RateLimited(
            _("Too many wrong passwords from this network. Please try again later."),
            field="password",
        )
    if failures >= LIMITS["PASSWORD_FAILURES_BEFORE_LOCK"]:
        raise RateLimited(
            _(
                "Too many wrong passwords. This account is locked for 15 minutes; "
                "you can sign in with an SMS code instead."
            ),
            field="password",
        )
    person = Person.objects.filter(mobile=mobile, is_active=True).first()
    if person is None or not person.has_usable_password() or not person.check_password(password):
        PasswordFailure.objects.create(mobile=mobile, ip=ip)
        raise ValidationFailed(_("The mobile number or the password is wrong."), field="password")
    PasswordFailure.objects.filter(mobile=mobile).delete()
    return person


TOKEN_PREFIX = "dq_"
TOKEN_USE_RESOLUTION = timedelta(minutes=5)
TOKEN_USE_FLUSH = timedelta(minutes=1)
TOKEN_USE_BATCH = 500


@transaction.atomic
def api_token_create(*, person: Person, name: str) -> tuple[ApiToken, str]:
    name = clean_text(
        name, field="name", max_length=60, required=True, message=_("Give the token a name.")
    )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person, name=name, prefix=secret[:10], key_hash=_token_hash(secret)
    )
    audit.record(person, "api_token.create", token, {"name": name})
    return token, secret


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class _TokenUses:
    """When tokens were last used, written in batches. "Last used" to the nearest few
    minutes is all anyone reads; written by the request that used the token it would cost
    that request a write and a commit of its own (every request of a rush of first uses).
    A batch is written by the first request after it is a minute old or has grown large,
    and when the process ends; a crash loses at most that minute of "last used"."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: set[int] = set()
        self._since = None

    def note(self, token_pk: int, now) -> None:
        with self._lock:
            self._pending.add(token_pk)
            self._since = self._since or now
            due = len(self._pending) >= TOKEN_USE_BATCH or now - self._since >= TOKEN_USE_FLUSH
        if due:
            self.flush(now)

    def clear(self) -> None:
        """Forget what is pending (between tests, whose databases are rolled back)."""
        with self._lock:
            self._pending, self._since = set(), None

    def flush(self, now=None) -> int:
        with self._lock:
            pending, self._pending, self._since = self._pending, set(), None
        if pending:
            ApiToken.objects.filter(pk__in=pending).update(last_used_at=now or timezone.now())
        return len(pending)


token_uses = _TokenUses()


def _flush_token_uses_at_exit() -> None:
    # The database may be gone already; "last used" is not worth a traceback.
    with contextlib.suppress(Exception):
        token_uses.flush()


atexit.register(_flush_token_uses_at_exit)


def api_token_person(secret: str) -> Person | None:
    """The active person an unrevoked token belongs to. Every API request of a token-using
    client comes through here: one query in hand-written SQL (core.rows), which also says
    whether "last used" is due to be noted."""
    now = timezone.now()
    person = rows.first(
        Person,
        _token_person_sql(),
        [now - TOKEN_USE_RESOLUTION, _token_hash(secret or "")],
        extra=("token_pk", "token_use_due"),
    )
    if person is None:
        return None
    if person.token_use_due:
        token_uses.note(person.token_pk, now)
    return person


@cache
def _token_person_sql() -> str:
    return (
        f"SELECT {rows.columns(Person, 'p')}, t.id AS token_pk, "
        "(t.last_used_at IS NULL OR t.last_used_at < %s) AS token_use_due "
        f"FROM {rows.table(ApiToken)} t JOIN {rows.table(Person)} p ON p.id = t.person_id "
        "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND p.is_active"
    )


@transaction.atomic
def api_token_revoke(*, person: Person, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(person, "api_token.revoke", token, {})
