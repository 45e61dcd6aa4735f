from django.urls import path

from . import views

app_name = "learner"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("khoa-hoc/", views.catalogue, name="catalogue"),
    path("khoa-hoc/<int:course_id>/bat-dau/", views.course_enrol, name="course_enrol"),
    path("bai-hoc/<int:lesson_id>/da-hoc/", views.lesson_done, name="lesson_done"),
    path(
        "bai-hoc/<int:lesson_id>/tu-kiem-tra/<str:block_id>/",
        views.check_answer,
        name="check_answer",
    ),
]
