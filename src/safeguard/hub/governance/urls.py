from django.urls import path

from safeguard.hub.governance import data_views, views

app_name = "governance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("recommendations/<slug:recommendation_id>/", views.recommendation, name="recommendation"),
    path("recommendations/<slug:recommendation_id>/assess/", views.assess, name="assess"),
    path("recommendations/<slug:recommendation_id>/actions/", views.set_action, name="set_action"),
    path("assessments/<int:assessment_id>/review/", views.review, name="review"),
    path("actions/", views.actions, name="actions"),
    path("actions/<int:review_action_id>/", views.action, name="action"),
    path("ofsted/", views.ofsted, name="ofsted"),
    path("ofsted.csv", views.ofsted_csv, name="ofsted_csv"),
    # The partnership's data set (`kpis`, `charts`) and the meeting packs (`data_views`).
    path("data-set/", data_views.data_set, name="data_set"),
    path("data-set.csv", data_views.data_set_csv, name="data_set_csv"),
    path("data-set/<slug:kpi>/", data_views.kpi, name="kpi"),
    path("data-set/<slug:kpi>.csv", data_views.kpi_csv, name="kpi_csv"),
    path("packs/", data_views.packs, name="packs"),
    path("packs/make/", data_views.make_pack, name="make_pack"),
    path("packs/<int:pack_id>.pdf", data_views.pack, name="pack"),
]
