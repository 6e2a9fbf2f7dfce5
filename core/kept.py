"""Columns the database keeps up to date itself (trigger-maintained counts)."""


class DatabaseKeptFields:
    """A model mixin: saving an existing row writes every field but those in
    `kept_by_database` (and generated ones), so a copy loaded before the
    database changed a count never writes the old count back."""

    kept_by_database: tuple[str, ...] = ()

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and not field.generated
                and field.name not in self.kept_by_database
            ]
        super().save(*args, **kwargs)
