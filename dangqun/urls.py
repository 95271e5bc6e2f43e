from django.contrib import admin
from django.urls import include, path

from dangqun.activities import views as activity_views

from . import views
from .api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("menu/", views.menu, name="menu"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/language/", views.set_language, name="set_language"),
    path("prefs/text-size/", views.set_text_size, name="set_text_size"),
    path("accounts/", include("dangqun.accounts.urls")),
    path("centers/", include("dangqun.places.urls")),
    path("bookings/", include("dangqun.bookings.urls")),
    path("activities/", include("dangqun.activities.urls")),
    path("intake/", include("dangqun.intake.urls")),
    path("calendar.ics", activity_views.public_feed, name="activities_calendar"),
    path("staff/bookings/", include("dangqun.bookings.staff_urls")),
    path("staff/activities/", include("dangqun.activities.staff_urls")),
    path("staff/intake/", include("dangqun.intake.staff_urls")),
    path("staff/workdays/", include("dangqun.workdays.staff_urls")),
    path("charging/", include("dangqun.charging.urls")),
    path("riders/", include("dangqun.riders.urls")),
    path("staff/charging/", include("dangqun.charging.staff_urls")),
    path("staff/riders/", include("dangqun.riders.staff_urls")),
    path("volunteers/", include("dangqun.volunteers.urls")),
    path("volunteers/lead/", include("dangqun.volunteers.lead_urls")),
    path("staff/volunteers/", include("dangqun.volunteers.staff_urls")),
    path("staff/partners/figures/", include("dangqun.partners.figures_urls")),
    path("mobile-members/", include("dangqun.partners.mobile_urls")),
    path("staff/mobile-members/", include("dangqun.partners.mobile_staff_urls")),
    path("verify/", include("dangqun.volunteers.verify_urls")),
    path("partners/", include("dangqun.partners.urls")),
    path("brands/", include("dangqun.partners.brand_urls")),
    path("staff/partners/", include("dangqun.partners.staff_urls")),
    # Service packages (服务包), of partners.
    path("packages/", include("dangqun.partners.packages_urls")),
    path("staff/packages/", include("dangqun.partners.packages_staff_urls")),
    path("staff/", include(([path("", views.staff_home, name="home")], "staff"))),
    path("staff/", include("dangqun.places.staff_urls")),
    path("staff/", include("dangqun.people.staff_urls")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("dangqun.intake.open311_urls")),
    path("media/<path:path>", views.public_media, name="public_media"),
    path("django-admin/", admin.site.urls),
]

handler404 = "dangqun.views.not_found"
handler500 = "dangqun.views.server_error"
