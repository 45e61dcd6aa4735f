from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced ("?q=dan+chu&trang=2")."""
    params = context["request"].GET.copy()
    for name, value in changes.items():
        name = name.replace("_", "-")
        if value in (None, ""):
            params.pop(name, None)
        else:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
