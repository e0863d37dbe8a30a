"""Errors the engine raises to callers."""


class EngineError(RuntimeError):
    """The rules themselves went wrong for this case (two exclusive rules both apply, or none decides).
    Never a property of the input: an encoding error to report, not a result."""
