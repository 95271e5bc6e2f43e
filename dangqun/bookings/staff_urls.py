from django.urls import path

from . import staff_views

app_name = "staff_bookings"
urlpatterns: list = [
    path("", staff_views.booking_list, name="list"),
    path("export.xlsx", staff_views.export, name="export"),
    path("day/", staff_views.day_sheet, name="day"),
    path("<uuid:public_id>/approve/", staff_views.booking_approve, name="approve"),
    path("<uuid:public_id>/reject/", staff_views.booking_reject, name="reject"),
    path("<uuid:public_id>/cancel/", staff_views.booking_cancel, name="cancel"),
    path("spaces/", staff_views.settings_index, name="settings"),
    path("rules/<int:space_id>/", staff_views.space_rule, name="space_rule"),
    path("rules/<int:space_id>/reset/", staff_views.space_rule_reset, name="space_rule_reset"),
    path("rules/kind/<slug:code>/", staff_views.kind_rule, name="kind_rule"),
    path("closed/<slug:slug>/", staff_views.closed_dates, name="closed_dates"),
    path(
        "closed/<slug:slug>/<int:closed_id>/remove/",
        staff_views.closed_date_remove,
        name="closed_date_remove",
    ),
]
