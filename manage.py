#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # An empty value counts as unset (setdefault would keep it).
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
