from django.urls import path

from . import views

app_name = "training_checkin"

urlpatterns = [
    path("xong/<int:session_id>/", views.checkin_done, name="done"),
    path("<str:token>/", views.checkin, name="checkin"),
]
