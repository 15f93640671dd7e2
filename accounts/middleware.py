from allauth.core.exceptions import RateLimited
from django.shortcuts import render


class RateLimitedMiddleware:
    """allauth raises RateLimited from some views (e.g. a second SMS within 30 s);
    answer with a readable 429 page instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return render(request, "accounts/rate_limited.html", status=429)
        return None
