"""View declarations: which named permission a view needs, or that it is public.

Permissions are django-rules predicates declared in each app's ``rules.py``; views only
name them. The route-walking test reads these marks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def public_view(view):
    """Mark a view (function or class) as reachable without logging in."""
    view.lianxin_public = True
    return view


def permission_required(perm: str) -> Callable:
    """Log-in first, then the named permission; a missing permission is a 403 (audited)."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied(perm)
            return view_func(request, *args, **kwargs)

        wrapper.lianxin_permission = perm
        return wrapper

    return decorator


def login_required(view_func):
    """Any logged-in user (their own pages: home, account); marked for the route test."""
    from django.contrib.auth.decorators import login_required as django_login_required

    wrapped = django_login_required(view_func)
    wrapped.lianxin_login_required = True
    return wrapped
