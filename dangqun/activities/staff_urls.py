from django.urls import path

from . import staff_checkin, staff_sheets, staff_views

app_name = "staff_activities"
urlpatterns: list = [
    path("", staff_views.activity_list, name="list"),
    path("new/", staff_views.activity_create, name="create"),
    # Where a personal QR code leads (the token is signed; see codes.personal_token).
    path("check-in/<str:token>/", staff_checkin.scan_token, name="scan_token"),
    path("<uuid:public_id>/", staff_views.activity_detail, name="detail"),
    path("<uuid:public_id>/edit/", staff_views.activity_edit, name="edit"),
    path("<uuid:public_id>/publish/", staff_views.activity_publish, name="publish"),
    path("<uuid:public_id>/copy/", staff_views.activity_copy, name="copy"),
    path("<uuid:public_id>/cancel/", staff_views.activity_cancel, name="cancel"),
    path("<uuid:public_id>/finish/", staff_views.activity_finish, name="finish"),
    path(
        "<uuid:public_id>/registrations/<uuid:registration_id>/cancel/",
        staff_views.registration_cancel,
        name="registration_cancel",
    ),
    path("<uuid:public_id>/walk-in/", staff_views.walk_in, name="walk_in"),
    path("<uuid:public_id>/sign-up/", staff_views.sign_up, name="sign_up"),
    path("<uuid:public_id>/check-in/", staff_checkin.desk, name="desk"),
    path("<uuid:public_id>/check-in/photo/", staff_checkin.desk_photo, name="desk_photo"),
    path("<uuid:public_id>/check-out/", staff_checkin.check_out, name="check_out"),
    path("<uuid:public_id>/door-code/", staff_checkin.door_qr, name="door_qr"),
    path("<uuid:public_id>/sheet/", staff_sheets.sign_in_sheet, name="sheet"),
    path(
        "<uuid:public_id>/registrations.xlsx",
        staff_sheets.export_registrations,
        name="export_registrations",
    ),
    path(
        "<uuid:public_id>/attendance.xlsx", staff_sheets.export_attendance, name="export_attendance"
    ),
    path("<uuid:public_id>/visitors/", staff_sheets.exhibition_visitors, name="visitors"),
]
