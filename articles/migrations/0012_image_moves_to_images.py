"""The image library is its own app now (images/0001): the story's hero image
points there, and the model leaves this app's state. No table changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_article_published_index"),
        ("images", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="hero_image",
                    field=models.ForeignKey(blank=True, help_text="The picture at the top of the story and on its cards.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="images.image", verbose_name="hero image"),
                ),
                migrations.DeleteModel(name="Image"),
            ],
            database_operations=[],
        ),
    ]
