"""Which changes made meanwhile conflict with a command sent from an older view of the case.

With a case open in two tabs, a note written in one must not block a state change in the other, nor a
state change a note: a note or a file only adds to the history, so it neither conflicts with anything
nor makes anything else stale. Changes of the case itself (its state, assignment, fields, term) still
conflict with any command sent from a view that did not show them.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import commands as c
from . import events as ev

# Commands that only add to the history: a person's page takes them whatever the version it showed (a
# program that sends ``expected_version`` with one through the API asked for the check, and gets it).
APPENDING_COMMANDS = (c.AddNote, c.AddAttachment)
# Events that change nothing a person decides from: a note, a file, an alarm the clock raised, a review.
NEUTRAL_EVENTS = (ev.NoteAdded, ev.AttachmentAdded, ev.TermAlarmRaised, ev.QualityReviewed)


def checks_version(command: object) -> bool:
    """Whether ``command`` must be refused when the case moved past its ``expected_version``."""
    return not isinstance(command, APPENDING_COMMANDS)


def conflicting_events(command: object, since: Iterable[ev.DomainEvent]) -> list[ev.DomainEvent]:
    """The events among ``since`` (what happened after the person's view of the case) that conflict
    with ``command``: none for a note or a file; for any other command, every change but the neutral
    ones."""
    if not checks_version(command):
        return []
    return [event for event in since if not isinstance(event, NEUTRAL_EVENTS)]
