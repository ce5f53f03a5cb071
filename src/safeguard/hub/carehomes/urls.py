from django.urls import path

from safeguard.hub.carehomes import views

app_name = "homes"
urlpatterns = [
    path("", views.register, name="register"),
    path("coverage/", views.coverage, name="coverage"),
    path("spoc/", views.spoc, name="spoc"),
    path("<str:home_id>/", views.home, name="home"),
    path("<str:home_id>/visit/", views.visit, name="visit"),
    path("<str:home_id>/notify/", views.notify, name="notify"),
]
