from __future__ import annotations

from django.http import HttpResponse


class NoStoreForPersonalDataMiddleware:
    """Pages seen by a logged-in user may hold personal data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or getattr(
            response, "personal_data", False
        ):
            response["Cache-Control"] = "no-store"
        return response


class HtmxRedirectMiddleware:
    """An htmx request is never redirected to the log-in or password-change page.

    htmx follows a 302 inside the XHR and swaps the page it lands on into the element (a log-in
    form inside the navbar; at first log-in the change page, with its own polling bell, nested
    into itself several times a second). For an htmx request whose answer would be a redirect to
    one of those two pages, answer 401 (log-in) or 403 (password change) instead, with
    ``HX-Redirect`` so the browser loads that page as a whole page -- unless the browser already
    shows it, when the bare status tells the polling element (app.js) to stop.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") != "true"
            or request.headers.get("HX-Boosted") == "true"
        ):
            return response
        if response.status_code not in (301, 302, 303, 307, 308) or not response.get("Location"):
            return response
        from urllib.parse import urlsplit

        from django.conf import settings
        from django.shortcuts import resolve_url
        from django.urls import reverse
        from django.utils.http import urlencode

        target = urlsplit(response["Location"]).path
        login_path = resolve_url(settings.LOGIN_URL)
        if target == login_path:
            status = 401
        elif target == reverse("accounts:password_change"):
            status = 403
        else:
            return response
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        replacement = HttpResponse(status=status)
        replacement["Cache-Control"] = "no-store"
        if current.path != target:
            location = target
            if status == 401 and current.path:
                page = current.path + (f"?{current.query}" if current.query else "")
                location = f"{login_path}?{urlencode({'next': page})}"
            replacement["HX-Redirect"] = location
        for cookie in response.cookies.values():  # a logout's cleared session cookie
            replacement.cookies[cookie.key] = cookie
        return replacement
