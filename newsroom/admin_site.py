"""The admin site, with optional two-factor sign-in for staff."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class NewsroomAdminSite(OTPAdminSite):
    """Django's admin; with NEWSROOM_STAFF_2FA on, staff sign in with a code
    from their authenticator app too, and an unverified session is not let in."""

    site_url = "/"

    def __init__(self, name="admin"):
        super().__init__(name)

    def get_urls(self):
        from drafts.views import autosave_urls

        # Before the models' own: "articles/article/<id>/…" would catch them.
        return autosave_urls(self) + super().get_urls()

    # Read per request, so the name follows NEWSROOM_SITE_NAME wherever it is set.
    @property
    def site_header(self):
        return _("%(site)s newsroom") % {"site": settings.NEWSROOM_SITE_NAME}

    @property
    def site_title(self):
        return self.site_header

    index_title = gettext_lazy("Newsroom")

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


# Admins that come with Django and libraries, made as strict about hand-made
# addresses and forms as ours (tests/system/test_crawl.py requests every admin
# address with hostile input, tests/core/test_hostile_forms.py posts to them).
THIRD_PARTY_APPS = {"auth", "axes", "otp_totp", "django_tasks_database"}


def harden_third_party_admins() -> None:
    from django.contrib import admin
    from django.shortcuts import get_object_or_404
    from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.changelist import SafeAdminMixin

    class SafeTOTPDeviceAdmin(SafeAdminMixin, TOTPDeviceAdmin):
        """The device's QR code pages answer 404 for a device that is gone."""

        def config_view(self, request, pk):
            get_object_or_404(TOTPDevice, pk=pk)
            return super().config_view(request, pk)

        def qrcode_view(self, request, pk):
            get_object_or_404(TOTPDevice, pk=pk)
            return super().qrcode_view(request, pk)

    for model, model_admin in list(admin.site._registry.items()):
        if model._meta.app_label not in THIRD_PARTY_APPS:
            continue
        base = type(model_admin)
        safe = (
            SafeTOTPDeviceAdmin
            if model is TOTPDevice
            else type(f"Safe{base.__name__}", (SafeAdminMixin, base), {})
        )
        admin.site.unregister(model)
        admin.site.register(model, safe)
