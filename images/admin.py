from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.changelist import NewsroomModelAdmin
from images import imaging
from images.models import Image
from images.services import image_check_edit, image_create, image_update
from images.templatetags.images_extras import picture


class ImageAdminForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Picture file"),
        help_text=_(
            "JPEG, PNG, WebP or GIF. Location and camera data are removed; caption "
            "and credit are read from the file when you leave them empty."
        ),
    )

    class Meta:
        model = Image
        fields = [
            "title",
            "alt_text",
            "is_decorative",
            "caption",
            "credit",
            "focal_x",
            "focal_y",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["upload"]
        for name in ("focal_x", "focal_y") & self.fields.keys():
            self.fields[name].widget.attrs.update(
                {"step": "0.01", "min": "0", "max": "1", "class": "focal-input"}
            )

    request = None  # set by ImageAdmin.get_form

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        imaging.check_size(upload.size)  # before reading it into memory
        return imaging.check_and_clean(upload.name, upload.read())

    def clean(self):
        cleaned = super().clean()
        if self.request is not None and self.instance.pk and self.has_changed():
            try:
                image_check_edit(image=self.instance, by=self.request.user)
            except PermissionDenied as error:
                raise ValidationError(
                    _("Nothing was changed. %(reason)s") % {"reason": error},
                    code="forbidden",
                ) from None
        if not cleaned.get("alt_text", "").strip() and not cleaned.get("is_decorative"):
            self.add_error(
                "alt_text",
                _(
                    "Describe the picture for readers who can't see it, or mark it "
                    "decorative."
                ),
            )
        return cleaned


@admin.register(Image)
class ImageAdmin(NewsroomModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "title", "credit", "dimensions", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    search_fields = ["title", "alt_text", "caption", "credit"]
    list_filter = ["format", "is_decorative"]
    date_hierarchy = "uploaded_at"
    readonly_fields = [
        "focal_picker",
        "dimensions",
        "uploaded_by",
        "uploaded_at",
        "body_url",
    ]
    list_per_page = 50

    class Media:
        css = {"all": ["images/admin/images.css"]}
        js = ["images/admin/focal-point.js"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (
                    None,
                    {
                        "fields": [
                            "upload",
                            "title",
                            "alt_text",
                            "is_decorative",
                            "caption",
                            "credit",
                        ]
                    },
                )
            ]
        return [
            (None, {"fields": ["focal_picker", "focal_x", "focal_y"]}),
            (
                None,
                {"fields": ["title", "alt_text", "is_decorative", "caption", "credit"]},
            ),
            (
                _("File"),
                {"fields": ["dimensions", "uploaded_by", "uploaded_at", "body_url"]},
            ),
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        image = self.get_object(request, unquote(object_id))
        if image is not None and request.method == "GET":
            try:
                image_check_edit(image=image, by=request.user)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("picture"))
    def thumbnail(self, image):
        return picture(image, "1:1", sizes="4rem", css_class="library-thumb")

    @admin.display(description=_("size"))
    def dimensions(self, image):
        return f"{image.width} × {image.height} px, {image.format}"

    @admin.display(description=_("focal point"))
    def focal_picker(self, image):
        rendition = image.rendition("original", 800) or {"url": image.file.url}
        return format_html(
            '<div class="focal-picker" data-x="id_focal_x" data-y="id_focal_y">'
            '<img src="{}" alt="" draggable="false">'
            '<span class="focal-picker__marker" aria-hidden="true"></span></div>'
            '<p class="help">{}</p>',
            rendition["url"],
            _("Click the most important point: every crop keeps it in view."),
        )

    @admin.display(description=_("address for the story body"))
    def body_url(self, image):
        rendition = image.rendition("original", 1200)
        return rendition["url"] if rendition else image.file.url

    def save_model(self, request, obj, form, change):
        if change:
            focal_changed = {"focal_x", "focal_y"} & set(form.changed_data)
            image_update(image=obj, by=request.user, focal_changed=bool(focal_changed))
            return
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in ImageAdminForm.Meta.fields
        }
        created = image_create(
            upload=form.cleaned_data["upload"], by=request.user, **fields
        )
        obj.pk = created.pk
        obj.__dict__.update(created.__dict__)

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview.json",
                self.admin_site.admin_view(self.preview_view),
                name="images_image_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        """What the story form shows for a chosen hero image."""
        image = get_object_or_404(Image, pk=pk)
        if not self.has_view_permission(request, image):
            raise PermissionDenied
        rendition = image.rendition("16:9", 480) or {"url": image.file.url}
        return JsonResponse(
            {"url": rendition["url"], "alt": image.alt_text, "credit": image.credit}
        )
