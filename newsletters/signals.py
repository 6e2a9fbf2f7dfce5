"""The newsletters app's answers to what accounts sends (connected in apps.py).

Nothing here imports models at module level.
"""


def reader_data_requested(sender, *, user, **kwargs) -> dict:
    from newsletters.services import reader_subscriptions_export

    return reader_subscriptions_export(user)


def reader_closing(sender, *, user, **kwargs) -> None:
    from newsletters.services import reader_subscriptions_remove

    reader_subscriptions_remove(user)
