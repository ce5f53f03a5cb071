from django.urls import path

from safeguard.hub.governance import views

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
    # The partnership's data set (KPIs and charts: `kpis.py`, `charts.py`) adds its pages here.
]
