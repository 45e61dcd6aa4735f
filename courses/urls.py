from django.urls import path

from . import views

app_name = "learner"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
