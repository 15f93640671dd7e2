"""Request bodies capped before any upload check reads them.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE limits the non-file part of a body only; a file
field is streamed to a temporary file whatever its size, and the upload checks
(applicants.uploads) run after it has arrived. This middleware refuses a request whose
declared Content-Length exceeds REQUEST_BODY_MAX_BYTES with 413 before the body is read.
The reverse proxy in front (nginx `client_max_body_size`, see README) should carry the same
limit, so an oversized upload is stopped before it reaches the application at all.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def body_limit() -> int:
    return getattr(settings, "REQUEST_BODY_MAX_BYTES", 12 * 1024 * 1024)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit()
        if length > limit:
            message = _("上传的内容为 %(size)s MB，超过了 %(max)s MB 的上限，请压缩或拆分后再上传。") % {
                "size": f"{length / 1024 / 1024:.1f}",
                "max": f"{limit / 1024 / 1024:.0f}",
            }
            body = render_to_string("applicants/too_large.html", {"message": message})
            return HttpResponse(body, status=413)
        return self.get_response(request)
