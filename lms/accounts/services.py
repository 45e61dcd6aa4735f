"""Writes for accounts: temporary passwords set by managers."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import PasswordResetRecord

# Unambiguous characters only: the temporary password is read aloud or copied by hand.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class TemporaryPassword:
    user: object
    password: str
    account_created: bool


def temporary_password_generate(*, length: int = 12) -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def _username_for(person) -> str:
    User = get_user_model()
    for candidate in (person.phone, person.email, (person.staff_code or "").lower()):
        if candidate and not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    return f"hv{person.pk}"


@transaction.atomic
def password_reset_by_staff(*, person, actor) -> TemporaryPassword:
    """Give the person a temporary password (creating their account if needed).

    The caller checks that `actor` may manage `person`. The password is returned once and never
    stored in clear; the user must change it at next login.
    """
    User = get_user_model()
    password = temporary_password_generate()
    user = person.user
    created = user is None
    if created:
        user = User(username=_username_for(person), email=person.email or "")
        if person.email and User.objects.filter(email__iexact=person.email).exists():
            user.email = ""
    user.set_password(password)
    user.must_change_password = True
    user.is_active = True
    user.save()
    if created:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    PasswordResetRecord.objects.create(user=user, actor=actor, account_created=created)
    return TemporaryPassword(user=user, password=password, account_created=created)
