"""URL configuration. Every route name has a rule in `safeguard.access.policy.ROUTES`; the
route matrix test, built from this configuration, tries each with every method as every role."""

from django.contrib import admin
from django.urls import include, path

from safeguard.hub.api import api
from safeguard.hub.web import pages, signin
from safeguard.hub.web.adapter import audits

urlpatterns = [
    path("healthz", pages.healthz, name="healthz"),
    path(
        "accounts/login/",
        audits(GET=None, POST=None)(signin.PasswordStep.as_view()),  # the code step signs in
        name="login",
    ),
    path("accounts/verify/", signin.verify, name="verify"),
    path("accounts/enrol/", signin.enrol, name="enrol"),
    path("accounts/logout/", signin.logout, name="logout"),
    path("", pages.home, name="home"),
    path("people/", include("safeguard.hub.people.urls")),
    path("audit/", include("safeguard.hub.audit.urls")),
    path("intelligence/", include("safeguard.hub.intelligence.urls")),
    path("mash/", include("safeguard.hub.mash.urls")),
    path("", include("safeguard.hub.concerns.urls")),
    path("alerts/", include("safeguard.hub.alerts.urls")),
    path("missing/", include("safeguard.hub.missing.urls")),
    path("homes/", include("safeguard.hub.carehomes.urls")),
    path("mace/", include("safeguard.hub.mace.urls")),
    path("governance/", include("safeguard.hub.governance.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
