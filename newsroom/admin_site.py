"""The admin site, with optional two-factor sign-in for staff."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class NewsroomAdminSite(OTPAdminSite):
    """Django's admin; with NEWSROOM_STAFF_2FA on, staff sign in with a code
    from their authenticator app too, and an unverified session is not let in."""

    def __init__(self, name="admin"):
        super().__init__(name)

    @property
    def login_form(self):
        if settings.NEWSROOM_STAFF_2FA:
            return OTPAdminAuthenticationForm
        return AdminAuthenticationForm

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.NEWSROOM_STAFF_2FA else None

    def has_permission(self, request):
        if settings.NEWSROOM_STAFF_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)
