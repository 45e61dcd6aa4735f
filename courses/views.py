from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def dashboard(request):
    """“Học tập của tôi”: what is required of me this year, my progress, my certificates."""
    person = getattr(request.user, "person", None)
    positions = []
    if person is not None:
        positions = list(person.positions.current().select_related("unit", "target_group"))
    return render(request, "courses/dashboard.html", {"person": person, "positions": positions})
