from django.utils.functional import SimpleLazyObject


def roles(request):
    """Lazily expose which staff areas the current user may open (for the navigation)."""

    def _compute():
        from lms.org.models import StaffRole
        from lms.org.scoping import has_role

        user = request.user
        return {
            "is_staff_area": user.is_authenticated
            and not user.is_citizen
            and (user.is_superuser or has_role(user, *StaffRole.Role.values)),
            "is_manager": user.is_authenticated
            and has_role(user, StaffRole.Role.MANAGER, StaffRole.Role.ADMIN),
            "is_trainer": user.is_authenticated
            and has_role(user, StaffRole.Role.TRAINER, StaffRole.Role.ADMIN),
        }

    return {"lms_roles": SimpleLazyObject(_compute)}
