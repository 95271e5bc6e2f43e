from django.urls import path

from . import staff_views

app_name = "staff_charging"
urlpatterns = [
    path("", staff_views.room_list, name="list"),
    path("rooms/<uuid:public_id>/", staff_views.room_detail, name="room"),
    path("cabinets/<slug:code>/secret/", staff_views.secret_rotate, name="secret_rotate"),
    path("slots/<int:slot_id>/kind/", staff_views.slot_kind, name="slot_kind"),
    path("faults/", staff_views.fault_list, name="faults"),
    path("faults/<uuid:public_id>/close/", staff_views.fault_close, name="fault_close"),
    path("usage/", staff_views.usage, name="usage"),
    path("usage.xlsx", staff_views.usage_export, name="usage_export"),
]
