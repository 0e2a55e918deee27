"""Demo mail to the service mailbox: a known contact's report (a request by itself), a
stranger's (waiting on 待分拣 for an agent) and an out-of-office answer (ignored)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from aftersales.customers.models import Contact


def _mail(sender: str, name: str, subject: str, text: str, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = f"{name} <{sender}>"
    message["To"] = "service@huaxin.example.com"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=sender.split("@")[1])
    for key, value in headers.items():
        message[key.replace("_", "-")] = value
    message.set_content(text)
    return bytes(message)


def demo_mail(staff: dict[str, Any]) -> int:
    from aftersales.inbox.services import mail_receive

    known = Contact.objects.filter(email__endswith="@example.cn").order_by("pk").first()
    mails = [
        _mail(
            "zhang.wei.it@163.com",
            "张工",
            "监控中心画面全部黑屏",
            "您好，我们是苏州工业园区的用户，监控中心大屏今天上午全部黑屏，"
            "录像机指示灯正常。设备是贵司前年安装的，请尽快安排人员。\n联系电话 13962112345",
        ),
        _mail(
            "chen.li@example.org",
            "陈丽",
            "自动回复：休假中",
            "我正在休假，12 月 10 日回来。",
            Auto_Submitted="auto-replied",
        ),
    ]
    if known is not None:
        mails.insert(
            0,
            _mail(
                known.email,
                known.name,
                "门禁控制器偶尔无法刷卡",
                "门禁控制器这两天偶尔刷卡无反应，重启后恢复，请派人检查。",
            ),
        )
    for raw in mails:
        mail_receive(raw=raw, source="demo")
    return len(mails)
