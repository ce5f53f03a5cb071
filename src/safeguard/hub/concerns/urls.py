from django.urls import path

from safeguard.hub.concerns import views

app_name = "concerns"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/follow-up/", views.follow_up, name="follow_up"),
    path("mash/contacts/<str:reference>/reporter/", views.reporter, name="reporter"),
]
