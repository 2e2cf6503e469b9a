"""Domain errors of the resident side and of the submission lifecycle.

Each carries a stable `code` (for views, the API and tests) and a Korean
message that says how to go on.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


class IntakeError(Exception):
    code = "intake_error"
    message: str | Promise = gettext_lazy("요청을 처리하지 못했습니다.")

    def __init__(self, message: str | None = None) -> None:
        # Resolved now, in the language of the request that raised it.
        self.message = str(message or self.message)
        super().__init__(self.message)


class ActionRefused(IntakeError):
    """A move the lifecycle does not allow now, or an action missing an input it needs.

    Staff services raise it too (officer_console calls it StaffActionError):
    one error for every refused change of a submission.
    """

    code = "conflict"
    message: str

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class NotAwaitingCorrection(ActionRefused):
    default_message = gettext_lazy("지금은 고칠 수 있는 상태가 아닙니다. 창구 직원에게 문의해 주세요.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__("not_awaiting_correction", str(message or self.default_message))


class FormUnavailable(IntakeError):
    code = "form_unavailable"
    message = gettext_lazy("이 기관에서 지금 신청할 수 없는 서식입니다. 창구 직원에게 문의해 주세요.")


class InvalidSubmission(IntakeError):
    code = "invalid"
    message = gettext_lazy("입력한 내용에 고칠 곳이 있습니다.")

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__()
        self.errors = errors


class PageKeyTaken(IntakeError):
    code = "page_key_taken"
    message = gettext_lazy(
        "이 화면으로는 제출할 수 없어 입력한 내용을 새 화면에 옮겼습니다. 확인한 뒤 제출을 다시 눌러 주세요."
    )


class OfficeSetupError(IntakeError):
    code = "office_setup"


class RatingRefused(ActionRefused):
    """A rating the service does not take: not completed, already rated, too late, or not a score."""

    MESSAGES = {
        "not_completed": gettext_lazy("처리가 끝난 뒤에 만족도를 알려 주실 수 있습니다."),
        "already_rated": gettext_lazy("이미 만족도를 알려 주셨습니다. 고맙습니다."),
        "rating_closed": gettext_lazy("처리가 끝나고 7일이 지나 만족도를 받지 않습니다."),
        "invalid_score": gettext_lazy("매우 만족부터 매우 불만족까지 하나를 골라 주세요."),
        "comment_too_long": gettext_lazy("의견은 300자까지 적을 수 있습니다. 줄여서 다시 보내 주세요."),
    }

    def __init__(self, code: str) -> None:
        super().__init__(code, str(self.MESSAGES[code]))


class TicketRefused(IntakeError):
    """A ticket without a form that cannot be issued: an unknown service, or a stale page's key."""

    message: str

    MESSAGES = {
        "service_unknown": gettext_lazy("업무를 골라 주세요."),
        "key_reused": gettext_lazy("화면이 오래되었습니다. 새로 고친 화면에서 업무를 다시 눌러 주세요."),
    }

    def __init__(self, code: str) -> None:
        super().__init__(str(self.MESSAGES[code]))
        self.code = code
