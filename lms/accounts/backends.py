"""Log in with a username, an email address or a phone number."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from lms.core.text import normalize_text


def user_for_identifier(identifier: str):
    """The active user an identifier names, or None. Phone numbers are looked up on the person."""
    from lms.org.models import Person, normalize_phone

    User = get_user_model()
    identifier = normalize_text(identifier)
    if not identifier:
        return None
    user = User.objects.filter(username__iexact=identifier).first()
    if user is None and "@" in identifier:
        user = User.objects.filter(email__iexact=identifier).first()
        if user is None:
            person = (
                Person.objects.filter(email__iexact=identifier, user__isnull=False)
                .select_related("user")
                .first()
            )
            user = person.user if person else None
    if user is None:
        phone = normalize_phone(identifier)
        if phone and len(phone) >= 9:
            person = (
                Person.objects.filter(phone=phone, user__isnull=False)
                .select_related("user")
                .first()
            )
            user = person.user if person else None
    return user


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = user_for_identifier(username)
        if user is None:
            # Run the hasher anyway so response time does not reveal which identifiers exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials) -> str:
    """The key django-axes counts failures under: one per account, however it is spelled.

    "+84 912 345 678", "0912345678" and the username of the same person all lock the same
    account, so varying the spelling does not buy an attacker more attempts.
    """
    from lms.org.models import normalize_phone

    raw = ""
    if credentials:
        raw = credentials.get("username") or ""
    elif request is not None:
        raw = request.POST.get("username", "")
    raw = normalize_text(raw)
    user = user_for_identifier(raw) if raw else None
    if user is not None:
        return user.username.lower()
    phone = normalize_phone(raw)
    if phone and len(phone) >= 9 and "@" not in raw:
        return phone
    return raw.lower()
