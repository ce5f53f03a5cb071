from django.urls import path

from safeguard.hub.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alerts, name="list"),
    path("<int:alert_id>/read/", views.read, name="read"),
]
