"""The SMS back-end's test double: every message recorded instead of sent.

In this process (service and view tests) the messages are in SENT; a
server started by the test (tests/live.py) writes them to the file named by
SMS_OUTBOX, one JSON object a line, for the test to read back.
"""

import json
import os
import re

from intake.notify import Alert

SENT: list[tuple[str, str]] = []


class RecordingBackend:
    def send(self, alert: Alert) -> str:
        phone, text = alert.phone, alert.text
        SENT.append((phone, text))
        outbox = os.environ.get("SMS_OUTBOX")
        if outbox:
            with open(outbox, "a", encoding="utf-8") as f:
                f.write(json.dumps({"phone": phone, "text": text}, ensure_ascii=False) + "\n")
        return "sms"


def read_outbox(path: str) -> list[dict[str, str]]:
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def code_in(text: str) -> str:
    found = re.search(r"\b(\d{6})\b", text)
    assert found, text
    return found.group(1)
