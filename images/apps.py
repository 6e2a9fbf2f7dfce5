from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _image_saved(sender, instance, **kwargs):
    from images.signals import image_changed

    image_changed.send(sender, image_id=instance.pk)


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = _("Image library")

    def ready(self):
        # Pages showing the image hear of it through images/signals.py.
        post_save.connect(
            _image_saved, sender=self.get_model("Image"), dispatch_uid="images"
        )
