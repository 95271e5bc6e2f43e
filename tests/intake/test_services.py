"""The services of one-stop intake: submitting (values, location, attachments, numbers,
deadlines), the workflow and its history, ratings and follow-ups, overdue notices. Every
refusal leaves nothing changed."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.models import AuditEntry
from dangqun.intake import services
from dangqun.intake.errors import AlreadyRated, IllegalTransition
from dangqun.intake.models import (
    Attachment,
    FollowUp,
    Rating,
    RequestEvent,
    ServiceRequest,
)
from dangqun.workdays.selectors import deadline_after

from .conftest import GOOD_VALUES, submit

pytestmark = pytest.mark.django_db


def test_submit_stores_values_normalised_number_and_deadline(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(world, values={**GOOD_VALUES, "since": "2001-07-01", "in_province": "no"})
    today = timezone.localdate()
    assert request.number == f"YH-{today:%Y%m%d}-0001"
    assert request.values == {
        "branch": "民丰村党支部",
        "direction": "in",
        "months": 6,
        "since": "2001-07-01",
        "in_province": False,
    }
    expected = deadline_after(today, 5)
    assert (request.due_date, request.due_estimated) == (expected.date, expected.estimated)
    assert request.center == world.tree.xianlin_center and request.unit == "党员服务窗口"
    assert request.status == "submitted" and len(request.token) >= 20
    assert [e.action for e in request.events.all()] == ["submitted"]
    assert sms_outbox[-1][0] == world.resident.mobile and request.number in sms_outbox[-1][1]
    second = submit(world)
    assert second.number.endswith("-0002")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"direction": "in"}, "branch"),  # required text missing
        ({"branch": "x"}, "direction"),  # required choice missing
        ({**GOOD_VALUES, "direction": "sideways"}, "direction"),
        ({**GOOD_VALUES, "months": "six"}, "months"),
        ({**GOOD_VALUES, "months": "NaN"}, "months"),
        ({**GOOD_VALUES, "since": "2001-13-01"}, "since"),
        ({**GOOD_VALUES, "in_province": "maybe"}, "in_province"),
        ({**GOOD_VALUES, "colour": "red"}, "colour"),
        ({**GOOD_VALUES, "branch": ["a"]}, "branch"),
    ],
)
def test_bad_values_are_refused_on_their_field_and_nothing_is_saved(world, values, field):
    with pytest.raises(ValidationFailed) as caught:
        submit(world, values=values)
    assert caught.value.field == field
    assert not ServiceRequest.objects.exists() and not RequestEvent.objects.exists()


def test_location_is_required_where_the_item_says_so(world):
    with pytest.raises(ValidationFailed) as caught:
        submit(world, item=world.canteen)
    assert caught.value.field == "location"
    with pytest.raises(ValidationFailed) as caught:
        submit(world, item=world.canteen, lat="95", lng="120")
    assert caught.value.field == "lat"
    request = submit(world, item=world.canteen, lat="30.3935", lng="119.9977", address="仓前")
    assert (str(request.lat), str(request.lng)) == ("30.393500", "119.997700")


def test_district_item_is_handled_by_the_chosen_center_inside(world):
    request = submit(world, item=world.legal, center=world.tree.cangqian_center)
    assert request.center == world.tree.cangqian_center and request.unit == "法律服务窗口"
    with pytest.raises(ValidationFailed):
        submit(world, center=world.tree.cangqian_center)  # Xianlin's own item


def test_counter_submission_on_behalf_needs_staff_of_that_center(world):
    request = submit(world, actor=world.xianlin_staff, channel="counter")
    assert request.person == world.resident and request.submitted_by == world.xianlin_staff
    assert AuditEntry.objects.filter(action="intake.request_submit").exists()
    with pytest.raises(NotFound):
        submit(world, actor=world.cangqian_staff, channel="counter")
    with pytest.raises(NotFound):  # a resident cannot submit for someone else
        submit(world, actor=world.other)
    assert ServiceRequest.objects.count() == 1


def test_workflow_path_history_and_sms(world, sms_outbox, django_capture_on_commit_callbacks):
    request = submit(world)
    staff = world.xianlin_staff
    with django_capture_on_commit_callbacks(execute=True):
        services.request_accept(actor=staff, request=request, note="材料齐全")
        services.request_start(actor=staff, request=request)
        services.request_resolve(actor=staff, request=request, note="已办结")
    request.refresh_from_db()
    assert request.status == "resolved" and request.closed_at and request.accepted_at
    events = list(request.events.values_list("action", "status", "actor", "note"))
    assert events == [
        ("submitted", "submitted", world.resident.pk, ""),
        ("accepted", "accepted", staff.pk, "材料齐全"),
        ("started", "in_progress", staff.pk, ""),
        ("resolved", "resolved", staff.pk, "已办结"),
    ]
    assert len([m for m in sms_outbox if m[0] == world.resident.mobile]) == 3


def test_history_cannot_be_edited_or_deleted(world):
    event = submit(world).events.get()
    event.note = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_illegal_transitions_change_nothing(world):
    request = submit(world)
    staff = world.xianlin_staff
    with pytest.raises(ValidationFailed) as caught:
        services.request_reject(actor=staff, request=request, reason="  ")
    assert caught.value.field == "reason"
    services.request_reject(actor=staff, request=request, reason="不属于本中心受理范围")
    for step in (services.request_resolve, services.request_accept, services.request_start):
        with pytest.raises(IllegalTransition):
            step(actor=staff, request=request)
    request.refresh_from_db()
    assert request.status == "rejected" and request.events.count() == 2


def test_other_centers_staff_cannot_touch_a_request(world):
    request = submit(world)
    with pytest.raises(NotFound):
        services.request_accept(actor=world.cangqian_staff, request=request)
    with pytest.raises(NotFound):
        services.request_accept(actor=world.resident, request=request)
    request.refresh_from_db()
    assert request.status == "submitted"


def test_transfer_to_another_unit_and_to_another_center(world):
    staff = world.xianlin_staff
    request = submit(world, item=world.legal, center=world.tree.xianlin_center)
    services.request_accept(actor=staff, request=request)
    services.request_transfer(actor=staff, request=request, unit="综合窗口", note="转综合窗口")
    request.refresh_from_db()
    assert (request.unit, request.status) == ("综合窗口", "submitted")
    services.request_transfer(actor=staff, request=request, center=world.tree.cangqian_center)
    request.refresh_from_db()
    assert request.center == world.tree.cangqian_center and request.unit == "法律服务窗口"
    services.request_accept(actor=world.cangqian_staff, request=request)
    # Xianlin's own item is not offered by Cangqian.
    own = submit(world)
    with pytest.raises(ValidationFailed):
        services.request_transfer(actor=staff, request=own, center=world.tree.cangqian_center)
    with pytest.raises(ValidationFailed):
        services.request_transfer(actor=staff, request=own, unit=own.unit)


def resolved(world):
    request = submit(world)
    for step in (services.request_accept, services.request_resolve):
        step(actor=world.xianlin_staff, request=request)
    return request


def test_rating_once_after_resolution_poor_opens_follow_up(world):
    request = submit(world)
    with pytest.raises(IllegalTransition):
        services.rating_give(actor=world.resident, request=request, score=5)
    request = resolved(world)
    with pytest.raises(NotFound):
        services.rating_give(actor=world.other, request=request, score=5)
    with pytest.raises(ValidationFailed):
        services.rating_give(actor=world.resident, request=request, score=6)
    services.rating_give(actor=world.resident, request=request, score=2, comment="等太久")
    with pytest.raises(AlreadyRated):
        services.rating_give(actor=world.resident, request=request, score=5)
    assert Rating.objects.get().score == 2
    follow_up = FollowUp.objects.get()
    assert follow_up.center == world.tree.xianlin_center and follow_up.status == "open"
    with pytest.raises(ValidationFailed):
        services.follow_up_close(actor=world.xianlin_staff, follow_up=follow_up, note="")
    with pytest.raises(NotFound):
        services.follow_up_close(actor=world.cangqian_staff, follow_up=follow_up, note="x")
    services.follow_up_close(actor=world.xianlin_staff, follow_up=follow_up, note="已电话回访")
    follow_up.refresh_from_db()
    assert follow_up.status == "done"


def test_good_rating_opens_no_follow_up(world):
    services.rating_give(actor=world.resident, request=resolved(world), score=4)
    assert not FollowUp.objects.exists()


def test_overdue_tells_the_street_admin_once(world, sms_outbox, django_capture_on_commit_callbacks):
    late = submit(world)
    closed = resolved(world)
    other_street = submit(world, item=world.canteen, lat="30.39", lng="119.99")
    ServiceRequest.objects.update(due_date=date(2020, 1, 6))
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_sweep() == 2
        assert services.overdue_sweep() == 0
    told = [text for mobile, text in sms_outbox if mobile == world.street_admin.mobile]
    assert len(told) == 1 and late.number in told[0]
    assert late.events.filter(action="overdue").count() == 1
    assert not closed.events.filter(action="overdue").exists()
    assert other_street.events.filter(action="overdue").count() == 1  # no admin there


def test_not_overdue_until_the_day_after_the_due_date(world):
    request = submit(world)
    assert not services.request_notify_overdue(request_id=request.pk, today=request.due_date)
    assert services.request_notify_overdue(
        request_id=request.pk, today=request.due_date + timedelta(days=1)
    )


def test_attachment_stored_outside_web_root(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    request = submit(world, attachments=[pdf])
    stored = Attachment.objects.get(request=request)
    assert stored.content_type == "application/pdf" and stored.original_name == "证明.pdf"
    assert stored.file.path.startswith(str(tmp_path / "attachments"))
    assert not stored.file.path.startswith(str(settings.MEDIA_ROOT))


def test_texts_go_in_the_persons_language(world, sms_outbox, django_capture_on_commit_callbacks):
    world.resident.language = "en"
    world.resident.save()
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(world)
        services.request_reject(actor=world.xianlin_staff, request=request, reason="材料不全")
    english = [text for mobile, text in sms_outbox if mobile == world.resident.mobile]
    assert english[0].startswith(f"[Party-Mass Service] Your request {request.number}")
    assert english[1].endswith("was not accepted: 材料不全")
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(world, person=world.other)  # no language saved: the site's, Chinese
    assert sms_outbox[0][1].startswith("【党群服务】您的申请")
