from django.urls import path

from . import views

app_name = "riders"
urlpatterns = [
    path("", views.riders_home, name="home"),
    path("map/", views.station_map, name="map"),
    path("register/", views.rider_register, name="register"),
    path("work-area/withdraw/", views.rider_withdraw, name="withdraw"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
]
