from django.http import Http404


def posted_id(request, name: str) -> int:
    """A posted object id; anything but digits is 404 (never a server error)."""
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)
