"""The one error every probe step raises: a reason in one sentence and the fix for it.

The runner (probes/runner.py) turns it into the probe's status: `unavailable` when what the
probe needs is not there, `failed` when it was there but the step did not complete. Its
words reach the user as they are, so they never carry errno text, an exception's class name
or a traceback.
"""

from __future__ import annotations

from advisor.base.errors import FixableError


class ProbeError(FixableError):
    """A step could not do its job: `reason` says why, `fix` what would change that."""


class ProbeUnavailable(ProbeError):
    """What the probe needs is not there: no engine, no kernel, no permission."""


class ProbeFailed(ProbeError):
    """What the probe needs was there, but a step did not complete."""
