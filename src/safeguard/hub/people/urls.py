from django.urls import path

from safeguard.hub.people import views

app_name = "people"
urlpatterns = [
    path("", views.search_people, name="search"),
    path("<int:person_id>/", views.person, name="detail"),
    path("<int:person_id>/break-glass/", views.break_glass, name="break_glass"),
    path("<int:person_id>/decide/", views.decide, name="decide"),
    path("<int:person_id>/split/", views.split, name="split"),
    path("<int:person_id>/explain/", views.explain, name="explain"),
]
