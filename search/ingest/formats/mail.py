"""Email: one message (.eml) or a mailbox of them (.mbox), with the standard library.

The subject is the title, the Date header the date, From the `sender` and To plus Cc the
`recipients`. The text is the plain part, or the HTML part made text when there is no plain one;
attachments are listed by name, type and size at the end, so that they can be found by name.
An mbox is a collection: message N (counting from 1) is the document `file.mbox:N`, and a
message that cannot be read is skipped alone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from search.ingest.formats.base import Format, Parsed, Record, error_reason
from search.ingest.formats.html import html_to_text
from search.results import Skip

if TYPE_CHECKING:  # the email package is imported when a message is met: it is not small
    from email.message import EmailMessage, Message

_FROM_LINE = re.compile(rb"(?:\A|\n)From [^\n]*\n")
_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
_NO_TEXT = "message has neither subject nor text"


def _size(n: int) -> str:
    return f"{n} bytes" if n < 1024 else f"{n / 1024:.0f} KB" if n < 1 << 20 else f"{n / (1 << 20):.1f} MB"


def _content(part: Message) -> str:
    """A text part's content, even with an unknown charset or a damaged transfer encoding."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _body(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _content(part)
    return html_to_text(text) if part.get_content_subtype() == "html" else text


def _attachments(msg: EmailMessage) -> str:
    listed = []
    for part in msg.iter_attachments():
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        name = part.get_filename() or "(no name)"
        listed.append(f"{name} ({part.get_content_type()}, {_size(size)})")
    return "Attachments: " + "; ".join(listed) if listed else ""


def _date(msg: EmailMessage) -> str | None:
    from email.utils import parsedate_to_datetime

    value = msg.get("date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value)).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def message_record(data: bytes, key: str, number: int | None) -> Record | Skip:
    """One message as a record, or the reason it cannot be one."""
    from email import policy
    from email.message import EmailMessage
    from email.parser import BytesParser

    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
        assert isinstance(msg, EmailMessage)  # what policy.default builds
        subject = str(msg.get("subject") or "")
        body = "\n\n".join(t for t in (_body(msg), _attachments(msg)) if t.strip())
        sender = str(msg.get("from") or "") or None
        to = ", ".join(str(msg[h]) for h in ("to", "cc") if msg.get(h))
        date = _date(msg)
    except Exception as err:  # noqa: BLE001 - a bad message must not cost the mailbox
        return Skip(key, f"cannot read message: {error_reason(err)}", number)
    if not msg.keys():
        return Skip(key, "not an email message: no headers", number)
    if not subject.strip() and not body.strip():
        return Skip(key, _NO_TEXT, number)
    return Record(subject, body, date, sender=sender, recipients=to or None, line=number)


def parse_eml(data: bytes, key: str) -> Parsed:
    """One record per .eml file."""
    return [message_record(data, key, None)]


def parse_mbox(data: bytes, key: str) -> Parsed:
    """One record per message of an mbox, numbered from 1."""
    if not data.startswith(b"From "):
        return [Skip(key, 'not an mbox: it does not start with a "From " line')]
    chunks = _FROM_LINE.split(data)[1:]
    return [
        message_record(_QUOTED_FROM.sub(rb"\1", chunk), key, n)
        for n, chunk in enumerate(chunks, 1)
    ]


EML = Format("eml", (".eml",), parse_eml)
MBOX = Format("mbox", (".mbox",), parse_mbox, collection=True)
