from django.urls import path

from safeguard.hub.intelligence import views

app_name = "intelligence"
urlpatterns = [
    path("screening/", views.queue, name="screenings"),
    path("screening/<int:person_id>/", views.screening, name="screening"),
    path("screening/<int:person_id>/confirm/", views.confirm, name="confirm"),
    path("screening/<int:person_id>/record/", views.record, name="record"),
    path("findings/", views.findings, name="findings"),
    path("findings/<str:key>/", views.finding, name="finding"),
    path("findings/<str:key>/dispose/", views.dispose, name="dispose"),
]
