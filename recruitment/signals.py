"""Signals other apps listen to.

position_changed
    Sent by ``services.position_reduce`` and ``services.position_cancel`` inside their
    transaction, after the position is saved and audited::

        position_changed.send(sender=Position, position=position, action="reduced" | "cancelled",
                              reason="…", actor=user)

    The applicants app connects a receiver that notifies the applicants of that position
    (``notifications.services.notify(..., event="position_reduced" | "position_cancelled")``)
    and, where ``announcement.allow_switch_on_cancel`` holds, lets them switch once.
    Receivers run inside the caller's transaction: write rows there, and leave sending to
    ``transaction.on_commit``. An exception in a receiver rolls the change back.
"""

from django.dispatch import Signal

position_changed = Signal()

ACTION_REDUCED = "reduced"
ACTION_CANCELLED = "cancelled"
