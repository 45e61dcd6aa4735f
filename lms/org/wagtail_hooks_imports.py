"""Wagtail admin hooks for the import screens (units, people)."""
