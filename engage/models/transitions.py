"""The one error a state change raises when the object's current state does not allow it."""

from __future__ import annotations


class IllegalTransition(Exception):
    """A state change refused; nothing was changed.

    ``code`` says why, for the message shown to the user, e.g. ``survey_not_published``
    (only a published survey can be closed), ``survey_not_closed`` (only a closed survey
    that was published can be reopened), ``survey_has_no_version`` (nothing to publish),
    ``run_not_active`` (the run has already ended), ``run_not_running``,
    ``survey_never_published`` (no wave to repeat), ``wave_not_after_previous`` or
    ``wave_already_started``.
    """

    def __init__(self, code: str, *, state: str | None = None) -> None:
        super().__init__(code if state is None else f"{code} (state: {state})")
        self.code = code
        self.state = state
