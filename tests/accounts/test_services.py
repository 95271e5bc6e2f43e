"""accounts.services: SMS codes, password sign-in, API tokens."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from dangqun.accounts import services
from dangqun.accounts.models import ApiToken, PasswordFailure, SignInCode
from dangqun.core.errors import RateLimited, ValidationFailed
from dangqun.core.models import AuditEntry
from dangqun.people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db

MOBILE = "13812341234"
IP = "203.0.113.7"


@pytest.fixture
def send(sms_outbox, django_capture_on_commit_callbacks):
    """Send a code and return (record, code); the SMS leaves on commit."""

    def send(mobile=MOBILE, ip=IP):
        with django_capture_on_commit_callbacks(execute=True):
            record = services.sign_in_code_send(mobile=mobile, ip=ip)
        return record, factories.code_in(sms_outbox[-1][1])

    return send


def age(record, seconds):
    """Make a code look as if it was sent `seconds` ago."""
    SignInCode.objects.filter(pk=record.pk).update(
        created_at=record.created_at - timedelta(seconds=seconds),
        expires_at=record.expires_at - timedelta(seconds=seconds),
    )


def english(message) -> str:
    with translation.override("en"):
        return str(message)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


# --- codes -------------------------------------------------------------------------


def test_the_code_is_stored_hashed_not_plain(send, sms_outbox):
    record, code = send()
    assert sms_outbox == [(MOBILE, sms_outbox[0][1])]
    record.refresh_from_db()
    assert code not in record.code_hash
    assert len(record.code_hash) == 64
    assert record.mobile == MOBILE
    assert record.ip == IP
    assert record.tries == 0 and record.used_at is None
    ttl = (record.expires_at - record.created_at).total_seconds()
    assert 299 <= ttl <= 300
    # No column of the row holds the code.
    row = SignInCode.objects.filter(pk=record.pk).values().get()
    assert all(code not in str(value) for value in row.values())


def test_the_hash_depends_on_the_number(send):
    first, code = send(mobile="13812341234")
    assert services._hash_code("13812341234", code) == first.code_hash
    # The same six digits for another number hash differently.
    assert services._hash_code("13912341234", code) != first.code_hash


def test_the_sms_leaves_only_when_the_transaction_commits(sms_outbox):
    services.sign_in_code_send(mobile=MOBILE, ip=IP)
    assert sms_outbox == []  # still inside the test's transaction


def test_the_sms_text_is_sent_to_the_normalised_number(send, sms_outbox):
    send(mobile="+86 138-1234-1234")
    assert sms_outbox[-1][0] == MOBILE
    assert SignInCode.objects.get().mobile == MOBILE


def test_a_right_code_signs_in_a_new_person_with_consent(send):
    _record, code = send()
    person = services.sign_in_code_verify(mobile=MOBILE, code=code, consent=True)
    assert person.mobile == MOBILE
    assert person.privacy_consent_at is not None
    assert SignInCode.objects.get().used_at is not None
    assert AuditEntry.objects.filter(action="person.register", actor=person).exists()


def test_a_new_person_needs_consent(send):
    _record, code = send()
    with pytest.raises(ValidationFailed) as caught:
        services.sign_in_code_verify(mobile=MOBILE, code=code, consent=False)
    assert caught.value.field == "consent"
    assert not Person.objects.exists()
    assert SignInCode.objects.get().used_at is None


def test_a_known_person_needs_no_consent(send):
    known = factories.PersonFactory(mobile=MOBILE)
    _record, code = send()
    assert services.sign_in_code_verify(mobile=MOBILE, code=code) == known


def test_a_code_works_once(send):
    factories.PersonFactory(mobile=MOBILE)
    _record, code = send()
    services.sign_in_code_verify(mobile=MOBILE, code=code)
    with pytest.raises(ValidationFailed) as caught:
        services.sign_in_code_verify(mobile=MOBILE, code=code)
    assert caught.value.code == "code_expired"


def test_a_code_for_one_number_does_not_sign_in_another(send):
    factories.PersonFactory(mobile=MOBILE)
    factories.PersonFactory(mobile="13912341234")
    _record, code = send(mobile=MOBILE)
    with pytest.raises(ValidationFailed) as caught:
        services.sign_in_code_verify(mobile="13912341234", code=code)
    assert caught.value.code == "code_expired"  # that number has no code at all


def test_an_expired_code_is_refused(send):
    factories.PersonFactory(mobile=MOBILE)
    record, code = send()
    age(record, 301)
    with pytest.raises(ValidationFailed) as caught:
        services.sign_in_code_verify(mobile=MOBILE, code=code)
    assert caught.value.code == "code_expired"
    assert caught.value.field == "code"


def test_a_code_just_before_expiry_still_works(send):
    factories.PersonFactory(mobile=MOBILE)
    record, code = send()
    age(record, 290)
    assert services.sign_in_code_verify(mobile=MOBILE, code=code).mobile == MOBILE


def test_wrong_codes_are_counted_and_the_sixth_try_is_refused(send):
    factories.PersonFactory(mobile=MOBILE)
    record, code = send()
    for n in range(1, 6):
        with pytest.raises(ValidationFailed) as caught:
            services.sign_in_code_verify(mobile=MOBILE, code=other_code(code))
        assert caught.value.code == "code_wrong"
        record.refresh_from_db()
        assert record.tries == n
    with pytest.raises(ValidationFailed) as caught:
        services.sign_in_code_verify(mobile=MOBILE, code=code)
    assert caught.value.code == "code_expired"
    record.refresh_from_db()
    assert record.tries == 5 and record.used_at is None


def test_only_the_newest_code_counts(send):
    factories.PersonFactory(mobile=MOBILE)
    first, old_code = send()
    age(first, 120)
    _second, new_code = send()
    if old_code != new_code:
        with pytest.raises(ValidationFailed):
            services.sign_in_code_verify(mobile=MOBILE, code=old_code)
    assert services.sign_in_code_verify(mobile=MOBILE, code=new_code).mobile == MOBILE


def test_a_second_code_within_a_minute_is_refused(send, sms_outbox):
    send()
    with pytest.raises(RateLimited) as caught:
        send()
    assert caught.value.field == "mobile"
    assert caught.value.status == 429
    assert len(sms_outbox) == 1


def test_a_second_code_after_a_minute_is_sent(send, sms_outbox):
    record, _code = send()
    age(record, 61)
    send()
    assert len(sms_outbox) == 2


def test_codes_per_number_per_hour_are_limited(send, monkeypatch):
    monkeypatch.setitem(services.LIMITS, "CODES_PER_MOBILE_PER_HOUR", 3)
    for _i in range(3):
        record, _code = send()
        age(record, 120)
    with pytest.raises(RateLimited) as caught:
        send()
    assert "an hour" in english(caught.value.message)
    # Codes older than an hour no longer count.
    SignInCode.objects.update(created_at=timezone.now() - timedelta(hours=2))
    send()


def test_codes_per_address_per_hour_are_limited(send, monkeypatch):
    monkeypatch.setitem(services.LIMITS, "CODES_PER_IP_PER_HOUR", 3)
    for n in range(3):
        send(mobile=f"1391234000{n}")
    with pytest.raises(RateLimited) as caught:
        send(mobile="13912340009")
    assert caught.value.field == "mobile"
    assert "network" in english(caught.value.message)
    # Another address is not affected.
    send(mobile="13912340009", ip="198.51.100.1")


def test_the_configured_address_limit_holds(send):
    limit = services.LIMITS["CODES_PER_IP_PER_HOUR"]  # 30 unless the environment says
    assert limit < 99
    for n in range(limit):
        send(mobile=f"139123400{n:02d}")
    with pytest.raises(RateLimited):
        send(mobile="13912340099")


def test_an_invalid_number_gets_no_code(sms_outbox):
    with pytest.raises(ValidationFailed) as caught:
        services.sign_in_code_send(mobile="12345", ip=IP)
    assert caught.value.field == "mobile"
    assert not SignInCode.objects.exists()


# --- passwords ---------------------------------------------------------------------


@pytest.fixture
def with_password():
    person = factories.PersonFactory(mobile=MOBILE)
    person.set_password("lin-xian-2024-staff")
    person.save()
    return person


def test_password_sign_in(with_password):
    assert services.password_sign_in(mobile=MOBILE, password="lin-xian-2024-staff", ip=IP) == (
        with_password
    )


def test_a_wrong_password_is_recorded(with_password):
    with pytest.raises(ValidationFailed) as caught:
        services.password_sign_in(mobile=MOBILE, password="nope", ip=IP)
    assert caught.value.field == "password"
    assert PasswordFailure.objects.filter(mobile=MOBILE, ip=IP).count() == 1


def test_five_failures_lock_and_the_lock_ends(with_password):
    for _i in range(5):
        with pytest.raises(ValidationFailed):
            services.password_sign_in(mobile=MOBILE, password="nope", ip=IP)
    with pytest.raises(RateLimited):
        services.password_sign_in(mobile=MOBILE, password="lin-xian-2024-staff", ip=IP)
    PasswordFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert services.password_sign_in(mobile=MOBILE, password="lin-xian-2024-staff", ip=IP)
    assert not PasswordFailure.objects.exists()


def test_failures_from_one_address_are_limited_across_numbers(with_password, monkeypatch):
    monkeypatch.setitem(services.LIMITS, "PASSWORD_FAILURES_PER_IP", 3)
    for n in range(3):
        with pytest.raises(ValidationFailed):
            services.password_sign_in(mobile=f"1391234000{n}", password="guess", ip=IP)
    with pytest.raises(RateLimited) as caught:
        services.password_sign_in(mobile=MOBILE, password="lin-xian-2024-staff", ip=IP)
    assert "network" in english(caught.value.message)
    # The account itself is not locked: from another address the password works.
    assert services.password_sign_in(
        mobile=MOBILE, password="lin-xian-2024-staff", ip="198.51.100.1"
    ) == (with_password)


def test_an_unknown_number_fails_like_a_wrong_password(with_password):
    with pytest.raises(ValidationFailed) as unknown:
        services.password_sign_in(mobile="13912341234", password="whatever", ip=IP)
    with pytest.raises(ValidationFailed) as wrong:
        services.password_sign_in(mobile=MOBILE, password="whatever", ip=IP)
    # Nobody can tell from the answer whether the number has an account.
    assert unknown.value.as_dict() == wrong.value.as_dict()
    assert PasswordFailure.objects.filter(mobile="13912341234").count() == 1


def test_an_inactive_person_cannot_use_a_password(with_password):
    with_password.is_active = False
    with_password.save()
    with pytest.raises(ValidationFailed):
        services.password_sign_in(mobile=MOBILE, password="lin-xian-2024-staff", ip=IP)


# --- tokens ------------------------------------------------------------------------


def test_a_token_is_stored_as_a_hash(person):
    token, secret = services.api_token_create(person=person, name="  大屏  ")
    assert secret.startswith("dq_") and len(secret) > 40
    token.refresh_from_db()
    assert token.name == "大屏"
    assert token.prefix == secret[:10]
    assert secret not in token.key_hash
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(secret not in str(value) for value in row.values())
    assert AuditEntry.objects.filter(action="api_token.create", actor=person).exists()


def test_each_token_is_different(person):
    _t1, first = services.api_token_create(person=person, name="a")
    _t2, second = services.api_token_create(person=person, name="b")
    assert first != second


def test_a_token_needs_a_name(person):
    with pytest.raises(ValidationFailed) as caught:
        services.api_token_create(person=person, name="   ")
    assert caught.value.field == "name"
    assert not ApiToken.objects.exists()


def test_a_token_s_name_too_long_is_refused_not_cut(person):
    with pytest.raises(ValidationFailed) as caught:
        services.api_token_create(person=person, name="n" * 61)
    assert caught.value.field == "name"
    assert not ApiToken.objects.exists()


def test_a_token_finds_its_person_and_notes_the_use(person):
    token, secret = services.api_token_create(person=person, name="脚本")
    assert token.last_used_at is None
    assert services.api_token_person(secret) == person
    assert services.token_uses.flush() == 1
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_uses_are_written_in_one_batch_a_minute_later(db):
    people = [factories.PersonFactory() for _ in range(3)]
    made = [services.api_token_create(person=p, name="app") for p in people]
    services.token_uses.flush()
    for _token, secret in made[:2]:
        services.api_token_person(secret)
    # Nothing is written by the requests themselves...
    assert not ApiToken.objects.filter(last_used_at__isnull=False).exists()
    # ...until a use comes a minute after the first one noted: that request writes all three.
    services.token_uses.note(made[2][0].pk, timezone.now() + services.TOKEN_USE_FLUSH)
    assert ApiToken.objects.filter(last_used_at__isnull=False).count() == 3


def test_a_full_batch_of_token_uses_is_written_at_once(db, monkeypatch):
    monkeypatch.setattr(services, "TOKEN_USE_BATCH", 2)
    made = [services.api_token_create(person=factories.PersonFactory(), name="app") for _ in "ab"]
    services.token_uses.flush()
    services.api_token_person(made[0][1])
    assert not ApiToken.objects.filter(last_used_at__isnull=False).exists()
    services.api_token_person(made[1][1])
    assert ApiToken.objects.filter(last_used_at__isnull=False).count() == 2


@pytest.mark.parametrize("secret", ["", "dq_wrong", None])
def test_an_unknown_secret_finds_nobody(person, secret):
    services.api_token_create(person=person, name="脚本")
    assert services.api_token_person(secret) is None


def test_a_revoked_token_does_not_authenticate(person):
    token, secret = services.api_token_create(person=person, name="脚本")
    services.api_token_revoke(person=person, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.api_token_person(secret) is None
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()


def test_revoking_one_token_leaves_the_others(person):
    first, first_secret = services.api_token_create(person=person, name="a")
    _second, second_secret = services.api_token_create(person=person, name="b")
    services.api_token_revoke(person=person, token=first)
    assert services.api_token_person(first_secret) is None
    assert services.api_token_person(second_secret) == person


def test_a_token_of_a_switched_off_person_does_not_authenticate(person):
    _token, secret = services.api_token_create(person=person, name="脚本")
    person.is_active = False
    person.save()
    assert services.api_token_person(secret) is None


def test_a_token_in_steady_use_is_not_written_on_every_request(db):
    from dangqun.accounts.models import ApiToken

    person = factories.PersonFactory()
    token, secret = services.api_token_create(person=person, name="app")
    assert services.api_token_person(secret) == person
    services.token_uses.flush()
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    services.api_token_person(secret)
    assert services.token_uses.flush() == 0
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=6))
    services.api_token_person(secret)
    assert services.token_uses.flush() == 1
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first
