from django.urls import path

from . import figures_views

app_name = "staff_partner_figures"

urlpatterns = [
    path("", figures_views.figures_page, name="page"),
    path("figures.xlsx", figures_views.figures_xlsx_download, name="xlsx"),
]
