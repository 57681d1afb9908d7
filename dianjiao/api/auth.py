"""Who is calling: a device token (Authorization: Bearer …) or the browser's session.

The session path keeps Django's CSRF check (django-ninja's SessionAuth), so a page of the site
can call the API and another site cannot make the browser do it."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from .tokens import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            # Services and the audit trail read request.user, as for a page.
            request.user = user
        return user


class Session(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


API_AUTH = [BearerToken(), Session()]


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): JSON for the API, the usual page for
    the login form. The same limit and cool-off apply to both."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": _(
                    "该账号在本地址连续多次密码错误，已暂时锁定。请15分钟后再试，或联系乡电教站管理员解锁。"
                )
            },
            status=status,
        )
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {}, status=status)
