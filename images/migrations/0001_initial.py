"""The image library moves out of articles: its table stays as it is.

`articles_image` was made by articles/0006; this only tells Django's state
that the model now belongs to this app (articles/0012 drops it from theirs).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import images.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0011_article_published_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Image",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("file", models.FileField(editable=False, upload_to=images.models.image_upload_path, verbose_name="file")),
                        ("title", models.CharField(help_text="For finding the picture in the library; readers don't see it.", max_length=200, verbose_name="title")),
                        ("alt_text", models.CharField(blank=True, help_text="What the picture shows, for readers who can't see it: “Fishing boats moored three deep in Tessmund harbour at dawn.” Required unless the picture is decorative.", max_length=300, verbose_name="alt text")),
                        ("is_decorative", models.BooleanField(default=False, help_text="Only for pictures that add nothing to the story's meaning.", verbose_name="decorative")),
                        ("caption", models.TextField(blank=True, help_text="Shown under the picture. Filled from the file when it has one.", verbose_name="caption")),
                        ("credit", models.CharField(blank=True, help_text="Photographer / agency. Filled from the file when it has one.", max_length=200, verbose_name="credit")),
                        ("width", models.PositiveIntegerField(editable=False, verbose_name="width")),
                        ("height", models.PositiveIntegerField(editable=False, verbose_name="height")),
                        ("format", models.CharField(editable=False, max_length=10, verbose_name="format")),
                        ("focal_x", models.FloatField(default=0.5, help_text="Click the picture to set it: crops keep this point in view.", verbose_name="focal point (across)")),
                        ("focal_y", models.FloatField(default=0.5, verbose_name="focal point (down)")),
                        ("renditions", models.JSONField(default=list, editable=False, verbose_name="renditions")),
                        ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded at")),
                        ("uploaded_by", models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="uploaded by")),
                    ],
                    options={
                        "verbose_name": "image",
                        "verbose_name_plural": "images",
                        "db_table": "articles_image",
                        "ordering": ["-uploaded_at", "-pk"],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(models.Q(("alt_text", ""), _negated=True), ("is_decorative", True), _connector="OR"), name="articles_image_alt_or_decorative", violation_error_message="Describe the picture in the alt text, or mark it decorative."),
                            models.CheckConstraint(condition=models.Q(("focal_x__gte", 0), ("focal_x__lte", 1), ("focal_y__gte", 0), ("focal_y__lte", 1)), name="articles_image_focal_inside", violation_error_message="The focal point must be on the picture."),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
