from django.urls import path

from safeguard.hub.missing import views

app_name = "missing"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("report/", views.report, name="report"),
    path("episodes/<int:episode_id>/", views.episode, name="episode"),
    path("episodes/<int:episode_id>/grade/", views.grade, name="grade"),
    path("episodes/<int:episode_id>/find/", views.find, name="find"),
    path("episodes/<int:episode_id>/cancel/", views.cancel, name="cancel"),
    path("episodes/<int:episode_id>/part-two/", views.part_two, name="part_two"),
    path("episodes/<int:episode_id>/hand-over/", views.handover, name="handover"),
    path("episodes/<int:episode_id>/philomena.pdf", views.pack, name="pack"),
    path("children/<int:person_id>/", views.pattern, name="pattern"),
    path("children/<int:person_id>/philomena/", views.part_one, name="part_one"),
    path("interviews/", views.interviews, name="interviews"),
    path("interviews/<int:interview_id>/", views.interview, name="interview"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:task_id>/", views.task, name="task"),
    path("figures/", views.figures, name="figures"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
]
