"""Why the progress store cannot be used, in exceptions light enough for every command to
catch without importing SQLite."""


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


class StoreUnavailable(StoreError):
    """The file is healthy but cannot be used now: locked by another instance past the busy
    timeout, unreadable (permissions), read-only, or the disk is full. The file is untouched."""


class StoreBusy(StoreUnavailable):
    """Another instance (or program) held the file locked for longer than the timeout: worth
    retrying (`Store.open_waiting`). `waited` is how long this attempt waited, in seconds."""

    def __init__(self, message: str, waited: float = 0.0):
        super().__init__(message)
        self.waited = waited


class StoreWriteError(StoreError):
    """A write failed (disk full, read-only, locked): nothing was committed. The caller keeps
    what the user typed (a draft) and tells them; the file is untouched."""
