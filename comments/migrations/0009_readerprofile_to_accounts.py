"""ReaderProfile now lives in the accounts app (accounts/0001): the comments
app forgets it, and its table stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0008_normalise_readers"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReaderProfile")],
            database_operations=[],
        ),
    ]
