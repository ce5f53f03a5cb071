from django.urls import path

from safeguard.hub.mace import views

app_name = "mace"
urlpatterns = [
    path("", views.meetings, name="meetings"),
    path("new/", views.new, name="new"),
    path("<int:meeting_id>/", views.meeting, name="meeting"),
    path("<int:meeting_id>/edit/", views.edit, name="edit"),
    path("<int:meeting_id>/agenda/", views.build, name="build"),
    path("<int:meeting_id>/add/", views.add, name="add"),
    path("items/<int:item_id>/", views.item, name="item"),
    path("items/<int:item_id>/decide/", views.decide, name="decide"),
    path("items/<int:item_id>/actions/", views.set_action, name="set_action"),
    path("actions/", views.actions, name="actions"),
    path("actions/<int:action_id>/", views.action, name="action"),
    path("disruption/", views.disruption, name="disruption"),
    path("disruption.csv", views.disruption_csv, name="disruption_csv"),
    path("disruption/new/", views.record_disruption, name="record_disruption"),
]
