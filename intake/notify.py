"""Alerts to a resident's phone: the queue stages, a change of counter or officer, 보완 요청, completion.

The back-end is chosen by NOTIFY_BACKEND:

- "log" (default): writes the alert, phone masked, to the log;
- "solapi": SMS through the Solapi SDK;
- "alimtalk": KakaoTalk 알림톡 through the same SDK (kakaoOptions with the
  channel's pfId and the event's registered templateId, settings.ALIMTALK_*),
  falling back to SMS when the provider refuses the 알림톡 (an event with no
  registered template goes by SMS). A 알림톡 the provider accepted but could
  not deliver (no KakaoTalk on that phone) is resent as SMS by Solapi itself
  (대체발송), from the same text: either way one message per event;
- "record": the 알림톡 path over a transport that only records what would go
  out (RECORDER), for tests of the whole path without the network.

Alerts are sent by the background worker, so a slow or failing provider
never holds up or fails a submission or an officer's click.
"""

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

# In the language the resident used when asking for alerts (alerts.send_alert). The Korean text
# of each is the 알림톡 template registered for it, #{기관} #{번호} #{창구} in place of the values.
MESSAGES = {
    "three_ahead": gettext_lazy(
        "[%(office)s] %(ticket)s번 고객님, 앞에 3명이 남았습니다. 민원실 근처에서 기다려 주세요."
    ),
    "next": gettext_lazy("[%(office)s] %(ticket)s번 고객님, 다음 차례입니다. 창구 앞으로 와 주세요."),
    "your_turn": gettext_lazy("[%(office)s] %(ticket)s번 고객님 차례입니다. %(counter)s번 창구로 오세요."),
    "transfer": gettext_lazy("[%(office)s] %(ticket)s번 고객님, 담당 창구가 %(counter)s번 창구로 바뀌었습니다."),
    "transfer_officer": gettext_lazy("[%(office)s] %(ticket)s번 고객님, 담당 직원이 바뀌었습니다."),
    "correction": gettext_lazy(
        "[%(office)s] %(ticket)s번 고객님, 신청서에 보완이 필요합니다. 화면에서 고쳐 다시 제출해 주세요."
    ),
    "completed": gettext_lazy(
        "[%(office)s] %(ticket)s번 고객님, 민원 처리가 끝났습니다. 한 번만 눌러 만족도를 알려 주세요."
    ),
}


@dataclass(frozen=True)
class Alert:
    """One message: the event's kind (a key of MESSAGES' templates), the number, the text and its values."""

    kind: str
    phone: str
    text: str
    variables: dict[str, str] = field(default_factory=dict)


class AlertBackend(Protocol):
    def send(self, alert: Alert) -> str:
        """Send it; the channel it went by (AlertMessage.Channel). Raises when nothing went out."""
        ...


def mask_phone(phone: str) -> str:
    return phone[:-4] + "****" if len(phone) > 4 else "****"


class LogBackend:
    def send(self, alert: Alert) -> str:
        logger.info("alert to %s: %s", mask_phone(alert.phone), alert.text)
        return "log"


class Transport(Protocol):
    def alimtalk(self, phone: str, text: str, *, pf_id: str, template_id: str, variables: dict[str, str]) -> None: ...

    def sms(self, phone: str, text: str) -> None: ...


class SolapiTransport:
    def __init__(self) -> None:
        from solapi import SolapiMessageService

        self.sender = settings.SOLAPI_SENDER
        self.service = SolapiMessageService(settings.SOLAPI_API_KEY, settings.SOLAPI_API_SECRET)
        if settings.SOLAPI_BASE_URL:
            self.service.base_url = settings.SOLAPI_BASE_URL

    def alimtalk(self, phone: str, text: str, *, pf_id: str, template_id: str, variables: dict[str, str]) -> None:
        from solapi.model import KakaoOption
        from solapi.model.request.message import Message

        # disable_sms=False: Solapi resends the text as SMS when KakaoTalk cannot deliver it.
        options = KakaoOption(pf_id=pf_id, template_id=template_id, variables=variables, disable_sms=False)
        self.service.send(Message(from_=self.sender, to=phone.replace("-", ""), text=text, kakao_options=options))

    def sms(self, phone: str, text: str) -> None:
        from solapi.model.request.message import Message

        self.service.send(Message(from_=self.sender, to=phone.replace("-", ""), text=text))


class RecordingTransport:
    """The test double: what would have gone out, in order; `fail_alimtalk` answers like a refusing provider."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.fail_alimtalk = False

    def reset(self) -> None:
        self.sent.clear()
        self.fail_alimtalk = False

    def alimtalk(self, phone: str, text: str, *, pf_id: str, template_id: str, variables: dict[str, str]) -> None:
        if self.fail_alimtalk:
            raise RuntimeError("알림톡 refused by the provider (test double)")
        self.sent.append(
            {"channel": "alimtalk", "to": phone, "text": text, "pf_id": pf_id, "template_id": template_id, **variables}
        )

    def sms(self, phone: str, text: str) -> None:
        self.sent.append({"channel": "sms", "to": phone, "text": text})


RECORDER = RecordingTransport()


class AlimtalkBackend:
    def __init__(self, transport: Transport | None = None) -> None:
        self.transport = transport or SolapiTransport()

    def send(self, alert: Alert) -> str:
        template_id = settings.ALIMTALK_TEMPLATES.get(alert.kind, "")
        if not (settings.ALIMTALK_PF_ID and template_id):
            self.transport.sms(alert.phone, alert.text)
            return "sms"
        try:
            self.transport.alimtalk(
                alert.phone,
                alert.text,
                pf_id=settings.ALIMTALK_PF_ID,
                template_id=template_id,
                variables=alert.variables,
            )
        except Exception:
            # Refused outright (template, channel, balance…): nothing went out, so the SMS is the one message.
            logger.warning("알림톡 %s refused; sending SMS instead", alert.kind, exc_info=True)
            self.transport.sms(alert.phone, alert.text)
            return "sms_fallback"
        return "alimtalk"


class SolapiBackend:
    """SMS only, through Solapi (the back-end before 알림톡)."""

    def __init__(self) -> None:
        self.transport = SolapiTransport()

    def send(self, alert: Alert) -> str:
        self.transport.sms(alert.phone, alert.text)
        return "sms"


class RecordingBackend(AlimtalkBackend):
    def __init__(self) -> None:
        super().__init__(RECORDER)


BACKENDS = {
    "log": "intake.notify.LogBackend",
    "solapi": "intake.notify.SolapiBackend",
    "alimtalk": "intake.notify.AlimtalkBackend",
    "record": "intake.notify.RecordingBackend",
}


def backend() -> AlertBackend:
    path = BACKENDS.get(settings.NOTIFY_BACKEND, settings.NOTIFY_BACKEND)
    instance: AlertBackend = import_string(path)()
    return instance


def compose(kind: str, *, office: str, ticket: int | None, counter: int | None) -> tuple[str, dict[str, str]]:
    """The text of an alert and the 알림톡 template's values: office, ticket and counter, nothing of the form."""
    counter_text = str(counter) if counter else _("안내")
    values = {"office": office, "ticket": ticket, "counter": counter_text}
    return str(MESSAGES[kind]) % values, {"기관": office, "번호": str(ticket), "창구": counter_text}
