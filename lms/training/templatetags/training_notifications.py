"""`{% notifications_nav_item %}`: the “Thông báo” link with the unread count, for the header."""

from django import template

from ..selectors import notifications_unread_count, notifications_unread_count_for_request

register = template.Library()


@register.inclusion_tag("training/includes/notifications_nav_item.html", takes_context=True)
def notifications_nav_item(context):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if not getattr(user, "is_authenticated", False):
        return {"show": False}
    if request is not None:
        return {"show": True, "unread": notifications_unread_count_for_request(request=request)}
    return {"show": True, "unread": notifications_unread_count(user=user)}
