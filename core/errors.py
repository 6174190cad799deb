"""Errors the application reports to its users in one line."""


class YuqingError(Exception):
    """An expected failure: printed as one line, exits non-zero, no traceback."""

    exit_code = 1


class ConfigError(YuqingError):
    """The configuration file or environment is invalid."""

    exit_code = 2


class StoreUnavailable(YuqingError):
    """The storage backend cannot be reached (names the URL or path)."""

    exit_code = 3


class StoreError(YuqingError):
    """A storage operation failed for a reason other than reachability."""


class Conflict(StoreError):
    """A concurrent writer changed the record first (optimistic concurrency), or the id exists."""


class NotFound(StoreError):
    """No record with that id."""
