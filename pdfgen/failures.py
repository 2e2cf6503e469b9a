"""Render failures without the resident's data.

A failed render is written three places: the log, the document's last_error
(shown on the officer's page) and the task's stored traceback. The archive
checks used to quote the text they missed, an address for instance; any
exception may quote a value. So what leaves a failed render is scrubbed of
the submission's values first.
"""

from intake import crypto, redaction
from intake.models import Submission
from intake.services import submission_values


class RenderFailed(Exception):
    code = "render_failed"

    def __init__(self, message: str, details: str) -> None:
        super().__init__(message)
        self.details = details  # the original traceback, scrubbed, for the log


def scrubbed(exc: Exception, submission: Submission) -> RenderFailed:
    try:
        secrets = redaction.personal_strings(submission_values(submission))
    except crypto.DecryptionError:
        secrets = []
    message = redaction.redact(f"{type(exc).__name__}: {exc}", secrets)
    return RenderFailed(message, redaction.redacted_traceback(exc, secrets))
