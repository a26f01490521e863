"""Every exception the kit raises on purpose, in one hierarchy::

    ActspecError
    ├── SetupError            the user's input is wrong; one line that says what and how to fix it
    │   ├── PreflightError    Docker, act or the runner image missing or of the wrong version
    │   ├── BindingError      actspec.yaml missing or naming what does not exist
    │   ├── WorkflowError     a workflow file that cannot be read (names file and line)
    │   ├── ChangeError       a scenario's change that does not apply to the repository
    │   └── UnknownName       a step naming a job the workflow does not have (fails the scenario)
    ├── RunError              act could not run a workflow to its end
    │   └── ActError          act aborted: a workflow it refuses, a job it could not start
    └── ServiceError          a service answers with the error the real one gives
        ├── HTTPError         carries the ready response (the GitHub, PyPI, crates.io mocks)
        ├── KitError          a status and message (the kit's artifact and cache endpoints)
        └── OIDCError         an id token that does not verify; ``code`` names the check

The preflight turns a ``SetupError`` found before the first scenario into pytest's one-line
usage error; the plugin reports a ``SetupError`` or ``RunError`` raised inside a test as its
message alone, without a traceback.  A ``ServiceError`` never leaves its service: the
service's dispatcher turns it into the HTTP answer the job sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from werkzeug.wrappers import Response


class ActspecError(Exception):
    """Base of the kit's own exceptions."""


class SetupError(ActspecError):
    """The user's setup (binding, workflow, options, environment, a step's words) is wrong."""


class PreflightError(SetupError):
    """Something the kit needs is missing; the message is one line and says how to fix it."""


class BindingError(SetupError):
    """The binding is missing or names something that does not exist."""


class WorkflowError(SetupError):
    """A workflow file that cannot be read; the message is one line naming file and line."""


class ChangeError(SetupError):
    """A change that cannot be applied as written (e.g. ``replace`` whose text is absent)."""


class UnknownName(SetupError, AssertionError):
    """A step names a job that the workflow does not have; the scenario fails, saying so."""


class RunError(ActspecError):
    """act could not run a workflow to its end."""


class ActError(RunError):
    """act could not run the workflow at all, or aborted it (its own words are in the message)."""


class ServiceError(ActspecError):
    """A request a service refuses the way the real service would."""


class HTTPError(ServiceError):
    """Raised by a mock's handler to answer with ``response`` (an error the real service gives)."""

    def __init__(self, response: Response, message: str = "") -> None:
        super().__init__(message or response.status)
        self.response = response
        self.message = message or response.status


class Refusal(ServiceError):
    """A rule of a real service refused a request: ``status`` and the service's own ``message``.

    Raised by the pure rule modules (``services/pypi_rules.py``, ``services/crates_rules.py``:
    no request or response in sight); the service's route turns it into the response the
    real service gives.  ``reason`` is what the ledger keeps when it says more than the
    public message (a JWT that failed for a specific cause).
    """

    def __init__(self, status: int, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason or message


class KitError(ServiceError):
    """The kit refuses a shim's request with ``status`` and the message the real service gives."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class OIDCError(ServiceError):
    """A token that does not verify.  ``code`` says which check failed:

    ``malformed`` (not a JWT), ``issuer`` (unknown ``iss``), ``no-kid`` / ``unknown-kid``
    (header), ``signature``, ``audience``, ``expired``, ``immature`` (``nbf``/``iat`` in the
    future), ``claims`` (a required claim is missing), ``invalid`` (anything else).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
