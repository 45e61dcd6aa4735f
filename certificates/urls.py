from django.urls import path

from . import views

app_name = "certificates_verify"

urlpatterns = [
    path("", views.verify_form, name="form"),
    path("<str:code>/", views.verify_detail, name="detail"),
    path("<str:code>/anh.png", views.verify_png, name="png"),
]
