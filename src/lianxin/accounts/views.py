from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lianxin.accounts.forms import LoginForm, PasswordChangeForm, RegisterCodeForm, RegisterForm
from lianxin.accounts.services import (
    REGISTRATION_TTL,
    registration_confirm,
    registration_demo_code,
    registration_pending_phone,
    registration_start,
    user_change_password,
    user_photo_set,
)
from lianxin.core.decorators import login_required, public_view
from lianxin.core.ratelimit import rate_limited

REGISTER_LIMIT = (10, 3600)  # registrations per address per hour
REGISTER_CODE_LIMIT = (30, 3600)  # codes typed per address per hour (5 per pending sign-up)
_REGISTER_TOKEN = "lianxin_register_token"


@public_view
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.blocked_by_address:
            response.status_code = 429  # too many failures from this address (accounts.throttle)
        return response


# What a logout tells the browser to forget of this site (shared phones, accounts/logout.js): the
# HTTP and service-worker caches, IndexedDB (the field app's queue and data), local/session
# storage and the service worker itself. Cookies are left to the session's own deletion.
CLEAR_SITE_DATA = '"cache", "storage"'


@public_view  # logging out (POST) needs no permission; an anonymous POST simply does nothing
class LogoutView(auth_views.LogoutView):
    """POST logs out and clears the site's data on the phone (``Clear-Site-Data``).

    GET is the confirm page (the log-out button's fallback and a page to link to): with JS it
    counts the field app's unsent records first (accounts/logout.js), so the browser is only
    told to clear once the worker chose 删除并退出; without JS its button simply logs out."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        response = render(request, "accounts/logout.html")
        response["Cache-Control"] = "no-store"
        return response

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_change_password(
            user=request.user, new_password=form.cleaned_data["new_password1"], request=request
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。"))
        return redirect("core:home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": request.user.must_change_password},
    )


@public_view
@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and rate_limited(
        request, scope="register", limit=REGISTER_LIMIT[0], window=REGISTER_LIMIT[1]
    ):
        form.is_valid()  # keep what was typed, with its own errors
        form.add_error(None, _("操作太频繁，请稍后再试。"))
        return render(request, "accounts/register.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        # The same answer whether or not the number has an account (see registration_start).
        request.session[_REGISTER_TOKEN] = registration_start(
            phone=form.cleaned_data["phone"],
            display_name=form.cleaned_data["display_name"],
            password=form.cleaned_data["password1"],
            unit=form.cleaned_data["community"],
        )
        return redirect("accounts:register_confirm")
    return render(request, "accounts/register.html", {"form": form})


@public_view
@require_http_methods(["GET", "POST"])
def register_confirm(request):
    """Step two of self-registration: the code texted to the phone opens the account."""
    if request.user.is_authenticated:
        return redirect("core:home")
    token = request.session.get(_REGISTER_TOKEN, "")
    phone = registration_pending_phone(token=token)
    if not phone:
        if request.method == "POST":
            messages.error(request, _("验证码已失效，请重新注册。"))
        return redirect("accounts:register")
    form = RegisterCodeForm(request.POST or None)
    context = {
        "form": form,
        "phone": phone,
        "minutes": REGISTRATION_TTL // 60,
        "demo_code": registration_demo_code(token=token),
    }
    if request.method == "POST" and rate_limited(
        request, scope="register_code", limit=REGISTER_CODE_LIMIT[0], window=REGISTER_CODE_LIMIT[1]
    ):
        form.add_error(None, _("操作太频繁，请稍后再试。"))
        return render(request, "accounts/register_confirm.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            user = registration_confirm(
                token=token, code=form.cleaned_data["code"], request=request
            )
        except ValidationError as exc:
            form.add_error("code", exc)
            if not registration_pending_phone(token=token):  # too many tries: start again
                request.session.pop(_REGISTER_TOKEN, None)
                messages.error(request, _("验证码已失效，请重新注册。"))
                return redirect("accounts:register")
        else:
            request.session.pop(_REGISTER_TOKEN, None)
            login(request, user, backend="lianxin.accounts.backends.PhoneOrUsernameBackend")
            messages.success(request, _("注册成功，欢迎使用连心桥。"))
            return redirect("core:home")
    return render(request, "accounts/register_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """My account: name, phone (masked), roles, photo for the duty board, password link."""
    error = ""
    if request.method == "POST":
        try:
            user_photo_set(user=request.user, upload=request.FILES.get("photo"), request=request)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("照片已更新。"))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"error": error, "breadcrumbs": [{"label": _("我的账号")}]},
        status=422 if error else 200,
    )


@login_required
@require_GET
def profile_photo(request):
    """One's own photo (others see it only on the public duty board, through the venue)."""
    if not request.user.photo:
        raise Http404
    response = FileResponse(request.user.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    return response
