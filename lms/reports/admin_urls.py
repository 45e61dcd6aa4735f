"""Admin URLs of the “Báo cáo” menu (mounted under /admin/bao-cao/ by wagtail_hooks)."""

from django.urls import path

from . import export_views, views

app_name = "reports"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("don-vi/<int:unit_id>/", views.DashboardView.as_view(), name="unit"),
    path("don-vi/<int:unit_id>/con-thieu/", views.MissingPeopleView.as_view(), name="missing"),
    path("don-vi/<int:unit_id>/khoa-so-lieu/", views.lock_view, name="lock"),
    path("don-vi/<int:unit_id>/dieu-chinh/", views.AmendView.as_view(), name="amend"),
    path("don-vi/<int:unit_id>/tao-tep/", export_views.export_start, name="export_start"),
    path("tep/<int:pk>/", export_views.ExportDetailView.as_view(), name="export_detail"),
    path("tep/<int:pk>/trang-thai/", export_views.export_status, name="export_status"),
    path("tep/<int:pk>/tai-ve/", export_views.export_download, name="export_download"),
    path("don-vi/<int:unit_id>/xlsx/", export_views.export_xlsx, name="export_xlsx"),
    path("don-vi/<int:unit_id>/csv/", export_views.export_csv, name="export_csv"),
    path("don-vi/<int:unit_id>/pdf/", export_views.export_pdf, name="export_pdf"),
]
