"""Queue alerts to a resident's phone: "3 ahead", "next", "your turn".

The back-end is chosen by NOTIFY_BACKEND: "log" (default: writes the alert,
phone masked, to the log) or "solapi" (SMS through the Solapi SDK; 알림톡
needs a template approved by Kakao and is a configuration of the same call).
Alerts are sent by the background worker, so a slow or failing SMS provider
never holds up or fails a submission or an officer's click.
"""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

# In the language the resident used when asking for alerts (alerts.send_alert).
MESSAGES = {
    "three_ahead": gettext_lazy(
        "[%(office)s] %(ticket)s번 고객님, 앞에 3명이 남았습니다. 민원실 근처에서 기다려 주세요."
    ),
    "next": gettext_lazy("[%(office)s] %(ticket)s번 고객님, 다음 차례입니다. 창구 앞으로 와 주세요."),
    "your_turn": gettext_lazy("[%(office)s] %(ticket)s번 고객님 차례입니다. %(counter)s번 창구로 오세요."),
}


class AlertBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


def mask_phone(phone: str) -> str:
    return phone[:-4] + "****" if len(phone) > 4 else "****"


class LogBackend:
    def send(self, phone: str, text: str) -> None:
        logger.info("alert to %s: %s", mask_phone(phone), text)


class SolapiBackend:
    def __init__(self) -> None:
        from solapi import SolapiMessageService

        self.sender = settings.SOLAPI_SENDER
        self.service = SolapiMessageService(settings.SOLAPI_API_KEY, settings.SOLAPI_API_SECRET)
        if settings.SOLAPI_BASE_URL:
            self.service.base_url = settings.SOLAPI_BASE_URL

    def send(self, phone: str, text: str) -> None:
        from solapi.model.request.message import Message

        self.service.send(Message(from_=self.sender, to=phone.replace("-", ""), text=text))


BACKENDS = {"log": "intake.notify.LogBackend", "solapi": "intake.notify.SolapiBackend"}


def backend() -> AlertBackend:
    path = BACKENDS.get(settings.NOTIFY_BACKEND, settings.NOTIFY_BACKEND)
    instance: AlertBackend = import_string(path)()
    return instance


def compose(stage: str, *, office: str, ticket: int, counter: int | None) -> str:
    return str(MESSAGES[stage]) % {"office": office, "ticket": ticket, "counter": counter or _("안내")}
