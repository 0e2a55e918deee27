"""Mails as a customer's mail program would send them, as bytes."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def mail(
    sender: str = "wang@jia.example.com",
    subject: str = "录像机无法开机",
    text: str = "你好，机房的录像机今天早上无法开机，请尽快派人。",
    *,
    name: str = "王工",
    headers: dict[str, str] | None = None,
    files: list[tuple[str, bytes, str]] | None = None,
    html: str = "",
    message_id: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"{name} <{sender}>"
    message["To"] = "service@huaxin.example.com"
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="jia.example.com")
    for key, value in (headers or {}).items():
        message[key] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for name_, content, mime in files or []:
        main, sub = mime.split("/")
        message.add_attachment(content, maintype=main, subtype=sub, filename=name_)
    return bytes(message)
