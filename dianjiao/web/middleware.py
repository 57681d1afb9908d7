"""Compressed text responses: pages, styles, scripts and JSON go out gzipped to a browser that
accepts gzip; files that are compressed already (.xlsx, .docx, images, films) and partial
responses (a film's byte ranges) go out as they are.

Django's GZipMiddleware carries the BREACH mitigation (random bytes of random length in the gzip
header, "Heal the Breach", max_random_bytes), and the CSRF token in each page is masked afresh.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "application/xml",
    "image/svg+xml",
)


class CompressTextMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if response.status_code == 206 or not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
