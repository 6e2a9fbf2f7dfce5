"""What other apps hear about readers' accounts.

Accounts knows nothing of what readers do elsewhere on the site; the apps
that keep a reader's things (comments, reports) answer these signals.
"""

from django.dispatch import Signal

# Sent with `user` while the data export is built; every receiver returns a
# dict of sections ({"comments": [...]}) added to the download.
reader_data_requested = Signal()

# Sent with `user` inside the transaction that closes the account, before the
# account itself is erased: receivers forget what identifies the reader.
reader_closing = Signal()
