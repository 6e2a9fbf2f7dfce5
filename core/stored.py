"""What a row held before a save, for receivers that act on what changed."""


def remember_stored(sender, instance, fields) -> None:
    """A pre_save helper: keep the stored values of `fields` on `instance`
    (as `_stored`, None for a new row) to compare with after the save."""
    if instance.pk is None:
        instance._stored = None
    else:
        instance._stored = sender.objects.filter(pk=instance.pk).values(*fields).first()
