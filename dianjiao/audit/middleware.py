from .recorder import acting_as


class AuditActorMiddleware:
    """Makes the logged-in user the actor of every write in the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        with acting_as(user, ip=request.META.get("REMOTE_ADDR")):
            return self.get_response(request)
