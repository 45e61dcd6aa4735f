from django.urls import path

from . import views

app_name = "training_notifications"

urlpatterns = [
    path("", views.notifications, name="list"),
    path("da-doc/", views.notifications_mark_read_view, name="mark_read"),
    path("<int:pk>/mo/", views.notification_open, name="open"),
]
