"""A CDN for tests: set NEWSROOM_PURGE_BACKEND to RECORDING and read
`purged` (clear it first)."""

RECORDING = "tests.pagecache.cdn.RecordingPurge"
purged = []


class RecordingPurge:
    """A CDN that notes what it is asked to purge."""

    def __init__(self, url, token):
        pass

    def purge(self, keys, paths):
        purged.append(keys)
