"""The comments app's answers to what other apps send (see apps.py)."""

from comments.services import reader_comments_anonymise, reader_comments_export


def reader_data_requested(sender, *, user, **kwargs) -> dict:
    return reader_comments_export(user)


def reader_closing(sender, *, user, **kwargs) -> None:
    reader_comments_anonymise(user)
