"""Errors a user can act on, with the exit code the CLI maps them to."""


class FlowgenError(Exception):
    """A problem the user can fix: printed as one line, never as a traceback."""

    exit_code = 1


class InvalidInput(FlowgenError):
    """The input was read but is not valid (a failed check): exit code 1."""

    exit_code = 1


class UnreadableInput(FlowgenError):
    """The input could not be read or parsed at all: exit code 2."""

    exit_code = 2


class UsageError(FlowgenError):
    """The command was called wrongly: exit code 2."""

    exit_code = 2
