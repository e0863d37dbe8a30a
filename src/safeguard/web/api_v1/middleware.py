"""Every API response says which law it was computed under (the `law_version` of the result document)."""

from __future__ import annotations

from safeguard.version import law_version

HEADER = "Safeguard-Law-Version"
PREFIX = "/api/"


class LawVersionHeader:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PREFIX):
            response[HEADER] = law_version()
        return response
