"""ReaderProfile moves here from the comments app, table and all untouched.

Only Django's idea of where the model lives changes: the table keeps its
name (comments_readerprofile), its rows, indexes and constraint. The comments
app forgets the model in comments/0009.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("comments", "0008_normalise_readers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReaderProfile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "display_name",
                            models.CharField(
                                help_text="Shown with every comment.",
                                max_length=60,
                                verbose_name="display name",
                            ),
                        ),
                        (
                            "display_name_skeleton",
                            models.TextField(
                                blank=True,
                                db_index=True,
                                editable=False,
                                help_text=(
                                    "Its confusables skeleton: look-alike names "
                                    "share one."
                                ),
                                verbose_name="what the display name looks like",
                            ),
                        ),
                        (
                            "banned_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="banned at"
                            ),
                        ),
                        (
                            "ban_reason",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="ban reason"
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reader",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "reader",
                        "verbose_name_plural": "readers",
                        "db_table": "comments_readerprofile",
                        "constraints": [
                            models.UniqueConstraint(
                                django.db.models.functions.text.Lower("display_name"),
                                name="comments_reader_display_name_ci_unique",
                                violation_error_message=(
                                    "Another reader already uses this name."
                                ),
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
