"""Imports of units and people from .xlsx/.csv files: validate everything, then write in one go."""

from .people import people_import
from .report import Counts, ImportReport, NewAccount
from .spreadsheets import error_report_xlsx, template_csv, template_filename, template_xlsx
from .table import RowError
from .units import units_import

IMPORTERS = {"units": units_import, "people": people_import}

__all__ = [
    "IMPORTERS",
    "Counts",
    "ImportReport",
    "NewAccount",
    "RowError",
    "error_report_xlsx",
    "people_import",
    "template_csv",
    "template_filename",
    "template_xlsx",
    "units_import",
]
