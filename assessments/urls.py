from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("de/<int:quiz_id>/", views.quiz_intro, name="quiz_intro"),
    path("de/<int:quiz_id>/bat-dau/", views.attempt_start_view, name="attempt_start"),
    path("de/<int:quiz_id>/du-thi/", views.public_register, name="public_register"),
    path("bai-lam/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("bai-lam/<int:attempt_id>/luu/", views.attempt_save, name="attempt_save"),
    path("bai-lam/<int:attempt_id>/trang-thai/", views.attempt_status, name="attempt_status"),
    path("bai-lam/<int:attempt_id>/nop-bai/", views.attempt_submit_view, name="attempt_submit"),
    path("bai-lam/<int:attempt_id>/ket-qua/", views.attempt_result, name="attempt_result"),
]
