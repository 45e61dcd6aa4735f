"""Wagtail admin: the legal document importer, and who may change legal pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import LegalDocumentPage, LegalLibraryPage
from .permissions import can_manage_legal_documents
from .views import legal_import_view

_LEGAL_CLASSES = (LegalDocumentPage, LegalLibraryPage)


class _ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_legal_documents(request.user)


@hooks.register("register_admin_urls")
def legal_admin_urls():
    return [path("thu-vien-phap-luat/nhap/", legal_import_view, name="legal_import")]


@hooks.register("register_admin_menu_item")
def legal_import_menu_item():
    return _ImportMenuItem(
        _("Nhập văn bản pháp luật"), reverse("legal_import"), icon_name="doc-full", order=450
    )


def _is_legal(page_or_class) -> bool:
    cls = page_or_class if isinstance(page_or_class, type) else page_or_class.specific_class
    return cls is not None and issubclass(cls, _LEGAL_CLASSES)


@hooks.register("before_create_page")
def legal_before_create(request, parent_page, page_class):
    if _is_legal(page_class) and not can_manage_legal_documents(request.user):
        raise PermissionDenied


@hooks.register("before_edit_page")
def legal_before_edit(request, page):
    if _is_legal(page) and not can_manage_legal_documents(request.user):
        raise PermissionDenied


@hooks.register("before_delete_page")
def legal_before_delete(request, page):
    if _is_legal(page) and not can_manage_legal_documents(request.user):
        raise PermissionDenied


@hooks.register("before_unpublish_page")
def legal_before_unpublish(request, page):
    if _is_legal(page) and not can_manage_legal_documents(request.user):
        raise PermissionDenied


@hooks.register("before_copy_page")
def legal_before_copy(request, page):
    if _is_legal(page) and not can_manage_legal_documents(request.user):
        raise PermissionDenied


@hooks.register("before_move_page")
def legal_before_move(request, page, destination):
    if _is_legal(page) and not can_manage_legal_documents(request.user):
        raise PermissionDenied
