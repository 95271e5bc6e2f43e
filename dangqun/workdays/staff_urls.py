from django.urls import path

from . import staff_views

app_name = "staff_workdays"
urlpatterns: list = [
    path("", staff_views.year_list, name="list"),
    path("pick/", staff_views.year_pick, name="pick"),
    path("<int:year>/", staff_views.year_detail, name="year"),
]
