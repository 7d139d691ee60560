from __future__ import annotations


class NoStoreForPersonalDataMiddleware:
    """Pages seen by a logged-in user may hold personal data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or getattr(response, "personal_data", False):
            response["Cache-Control"] = "no-store"
        return response
