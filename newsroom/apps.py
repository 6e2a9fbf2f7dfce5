from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin app, with our admin site as the default one."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"

    def ready(self):
        super().ready()  # registers every app's admin
        from newsroom.admin_site import harden_third_party_admins

        harden_third_party_admins()
