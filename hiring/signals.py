"""Signals hiring sends to the apps above it (workforce). hiring never imports them.

hire_confirmed: sent after the commit of a confirmed hire (hiring.services.hire.confirm_hire),
with the keyword argument `hire=<hiring.models.Hire>`. The receiver creates the worker record;
it runs outside the hire's transaction, so it must be idempotent (one worker per hire).
"""

from django.dispatch import Signal

hire_confirmed = Signal()
