from django.urls import path

from safeguard.hub.mash import views

app_name = "mash"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("contacts/new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("manager/", views.manager, name="manager"),
    path("checks/", views.checks, name="checks"),
    path("checks/<int:check_id>/", views.check, name="check"),
    path("contacts/<str:reference>/", views.detail, name="contact"),
    path("contacts/<str:reference>/rate/", views.rate, name="rate"),
    path("contacts/<str:reference>/route/", views.route, name="route"),
    path("contacts/<str:reference>/ask/", views.ask, name="ask"),
    path("contacts/<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("contacts/<str:reference>/link/", views.link, name="link"),
    path("contacts/<str:reference>/note/", views.note, name="note"),
    path("contacts/<str:reference>/decide/", views.decide, name="decide"),
    path("contacts/<str:reference>/reopen/", views.reopen, name="reopen"),
]
