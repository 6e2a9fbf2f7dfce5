from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin app, with our admin site as the default one."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
