from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<int:pk>/tai-ve/", views.my_certificate_pdf, name="download"),
]
