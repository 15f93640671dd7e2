"""The portal's URLs plus the benchmark's trivial view, mounted only under bench.settings."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    """The framework's ceiling for bench/: the full middleware stack, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial, name="bench-trivial"), *portal_urlpatterns]
