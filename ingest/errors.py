"""The error every loader raises for a file it cannot ingest."""


class LoadError(Exception):
    """A file that cannot be ingested; `reason` is shown to the user as is."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
