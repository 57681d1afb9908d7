"""Query parameters shared by many pages."""

from django.http import Http404


def requested_township(request) -> int | None:
    """?township=… as an id (None when absent); anything else is a page that does not exist.
    The county's pages list townships first and open one with it."""
    value = request.GET.get("township")
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404 from None
