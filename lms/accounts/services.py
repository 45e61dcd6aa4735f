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


# --- Citizens: self-registration on the public site ---------------------------------------


def _citizen_username(phone: str) -> str:
    User = get_user_model()
    if not User.objects.filter(username__iexact=phone).exists():
        return phone
    while True:
        candidate = f"dan{secrets.randbelow(10**8):08d}"
        if not User.objects.filter(username__iexact=candidate).exists():
            return candidate


@transaction.atomic
def citizen_register(*, full_name: str, phone: str, email: str, password: str, residence_unit=None):
    """Create a citizen's login and person record: no position, so no training obligation.

    The caller has validated the input (see CitizenSignupForm); unique constraints still decide
    a race between two identical sign-ups (the loser gets an IntegrityError).
    """
    from django.utils import timezone

    from lms.org.models import Person

    from .models import CitizenProfile

    User = get_user_model()
    user = User(username=_citizen_username(phone), email=email or "", is_citizen=True)
    user.set_password(password)
    user.save()
    Person.objects.create(user=user, full_name=full_name, phone=phone, email=email or None)
    CitizenProfile.objects.create(
        user=user, residence_unit=residence_unit, consented_at=timezone.now()
    )
    return user


@transaction.atomic
def citizen_profile_update(
    *, user, full_name: str, phone: str, email: str, residence_unit=None
) -> None:
    """A citizen corrects their own details. A login named after the old phone follows the new one."""
    from lms.org.models import Person

    from .models import CitizenProfile

    User = get_user_model()
    person = Person.objects.select_for_update().get(user=user)
    old_phone = person.phone
    person.full_name, person.phone, person.email = full_name, phone, email or None
    person.save()
    fields = ["email"]
    user.email = email or ""
    if (
        old_phone
        and user.username == old_phone
        and phone != old_phone
        and not User.objects.filter(username__iexact=phone).exclude(pk=user.pk).exists()
    ):
        user.username = phone
        fields.append("username")
    user.save(update_fields=fields)
    CitizenProfile.objects.update_or_create(
        user=user,
        defaults={"residence_unit": residence_unit},
        create_defaults={"residence_unit": residence_unit, "consented_at": user.date_joined},
    )
