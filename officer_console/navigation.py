"""What the staff shell links to, by the account's rights (officer_console.access).

A link the account cannot follow only leads to a refusal: the shell shows
only what opens. Evaluated when a template asks, so pages that never show the
staff header (the resident's) cost no query.
"""

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from . import access


class StaffNav:
    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def report(self) -> bool:
        return access.can_read_report(self.user)


def staff_nav(request: HttpRequest) -> dict[str, StaffNav]:
    return {"staff_nav": StaffNav(getattr(request, "user", None))}
