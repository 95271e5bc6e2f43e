from django.urls import path

from . import views

app_name = "riders"
urlpatterns = [
    path("", views.station_map, name="map"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
]
