from django.urls import path

from . import staff_views

app_name = "staff_riders"
urlpatterns = [
    path("stations/", staff_views.station_list, name="stations"),
    path("stations/new/", staff_views.station_create, name="station_create"),
    path("stations/<int:pk>/edit/", staff_views.station_edit, name="station_edit"),
    path("coverage/", staff_views.coverage_page, name="coverage"),
    path("coverage.xlsx", staff_views.coverage_export, name="coverage_export"),
    path("coverage/demand/", staff_views.demand_import, name="demand_import"),
]
