"""URL configuration. Every route name has a rule in `safeguard.access.policy.ROUTES`; a test
built from this configuration checks each against every role."""

from django.contrib import admin
from django.urls import include, path

from safeguard.hub.api import api
from safeguard.hub.web import pages, people, signin

people_urls = (
    [
        path("", people.search_people, name="search"),
        path("<int:person_id>/", people.person, name="detail"),
        path("<int:person_id>/break-glass/", people.break_glass, name="break_glass"),
        path("<int:person_id>/decide/", people.decide, name="decide"),
        path("<int:person_id>/split/", people.split, name="split"),
        path("<int:person_id>/explain/", people.explain, name="explain"),
    ],
    "people",
)
audit_urls = ([path("", pages.audit_events, name="events")], "audit")

urlpatterns = [
    path("healthz", pages.healthz, name="healthz"),
    path("accounts/login/", signin.PasswordStep.as_view(), name="login"),
    path("accounts/verify/", signin.verify, name="verify"),
    path("accounts/enrol/", signin.enrol, name="enrol"),
    path("accounts/logout/", signin.logout, name="logout"),
    path("", pages.home, name="home"),
    path("people/", include(people_urls)),
    path("audit/", include(audit_urls)),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
