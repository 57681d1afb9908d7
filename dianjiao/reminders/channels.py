"""The ways a digest leaves the station: e-mail, SMS, a WeCom group robot.

Each channel answers `address(user, profile)` (None: this user cannot be reached this way, with
the reason) and `send(...)`, which returns normally only when the far side accepted the message
and raises ChannelError with the status otherwise, so nothing is recorded as sent that was not."""

import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Channel
from .validators import ENV_REF, is_mobile, validate_webhook


class ChannelError(Exception):
    """The message was not delivered; the text says why (an HTTP status, a gateway's answer)."""


@dataclass
class Message:
    subject: str
    body: str  # the full digest: e-mail, WeCom
    short: str  # one SMS: the count, the first items, the link
    params: dict  # the SMS template's values


def _post_json(url: str, payload: dict, headers: dict | None = None) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.DIANJIAO_REMIND_TIMEOUT) as resp:
            raw = resp.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ChannelError(_("无法连接：%(reason)s") % {"reason": reason}) from None
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return {}


# SMS: a small adapter interface, one HTTP implementation, two for development.


class SmsBackend:
    def send(self, *, phone: str, text: str, params: dict) -> None:
        raise NotImplementedError


class HttpSmsBackend(SmsBackend):
    """A province's or operator's gateway: POST JSON {phone, template_id, params, content} with
    the key as a bearer token; any answer but 2xx, or a JSON `code`/`errcode` other than 0, is a
    failure."""

    def __init__(self, url: str = "", key: str = "", template_id: str = ""):
        self.url = url or settings.DIANJIAO_SMS_URL
        self.key = key or settings.DIANJIAO_SMS_KEY
        self.template_id = template_id or settings.DIANJIAO_SMS_TEMPLATE_ID
        if not self.url:
            raise ChannelError(_("短信网关未配置（DIANJIAO_SMS_URL）"))

    def send(self, *, phone, text, params):
        answer = _post_json(
            self.url,
            {"phone": phone, "template_id": self.template_id, "params": params, "content": text},
            {"Authorization": f"Bearer {self.key}"} if self.key else {},
        )
        code = answer.get("code", answer.get("errcode", 0)) if isinstance(answer, dict) else 0
        if code not in (0, "0", "OK", "ok", None):
            message = answer.get("message") or answer.get("errmsg") or ""
            raise ChannelError(
                _("短信网关拒绝：%(code)s %(message)s") % {"code": code, "message": message}
            )


class ConsoleSmsBackend(SmsBackend):
    """Development: the SMS is printed."""

    stream = None

    def send(self, *, phone, text, params):
        (self.stream or sys.stdout).write(f"[SMS {phone}] {text}\n")


class FileSmsBackend(SmsBackend):
    """Development: the SMS is appended to DIANJIAO_SMS_FILE."""

    def send(self, *, phone, text, params):
        with open(settings.DIANJIAO_SMS_FILE, "a", encoding="utf-8") as f:
            f.write(f"{timezone.now().isoformat()}\t{phone}\t{text}\n")


SMS_BACKENDS = {"http": HttpSmsBackend, "console": ConsoleSmsBackend, "file": FileSmsBackend}


def sms_backend() -> SmsBackend | None:
    name = settings.DIANJIAO_SMS_BACKEND
    if not name:
        return None
    return (SMS_BACKENDS.get(name) or import_string(name))()


# The three channels.


class EmailChannel:
    name = Channel.EMAIL

    def address(self, user, profile):
        if not user.email:
            return None, _("选择了邮件提醒，但没有填写邮箱")
        return user.email, ""

    def send(self, address, message: Message):
        try:
            sent = send_mail(
                message.subject,
                message.body,
                settings.DEFAULT_FROM_EMAIL,
                [address],
                fail_silently=False,
            )
        except Exception as exc:  # SMTP errors, refused connections, timeouts alike
            raise ChannelError(_("邮件发送失败：%(error)s") % {"error": exc}) from None
        if not sent:
            raise ChannelError(_("邮件服务器没有接收"))


class SmsChannel:
    name = Channel.SMS

    def address(self, user, profile):
        if not settings.DIANJIAO_SMS_BACKEND:
            return None, _("选择了短信提醒，但本站没有配置短信通道")
        if not is_mobile(user.phone):
            return None, _("选择了短信提醒，但没有填写手机号")
        return user.phone, ""

    def send(self, address, message: Message):
        backend = sms_backend()
        if backend is None:
            raise ChannelError(_("短信通道未配置（DIANJIAO_SMS_BACKEND）"))
        backend.send(phone=address, text=message.short, params=message.params)


def expand_webhook(url: str) -> str:
    """The robot's address with ${VARIABLE}s read from the environment."""

    def value(match):
        name = match.group(1)
        if name not in os.environ:
            raise ChannelError(_("环境变量 %(name)s 未设置") % {"name": name})
        return os.environ[name]

    return ENV_REF.sub(value, url)


class WecomChannel:
    """A WeCom group robot: JSON POST of a text message mentioning the user by mobile number."""

    name = Channel.WECOM

    def address(self, user, profile):
        if not profile.wecom_webhook:
            return None, _("选择了企业微信群提醒，但没有填写群机器人地址")
        return profile.wecom_webhook, ""

    def send(self, address, message: Message, *, mobile: str = ""):
        try:
            validate_webhook(address)  # an address stored before a rule tightened is refused too
        except ValidationError as exc:
            raise ChannelError(" ".join(exc.messages)) from None
        payload = {"msgtype": "text", "text": {"content": message.body}}
        if is_mobile(mobile):
            payload["text"]["mentioned_mobile_list"] = [mobile]
        answer = _post_json(expand_webhook(address), payload)
        code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
        if code not in (0, None):
            raise ChannelError(
                _("企业微信拒绝：%(code)s %(message)s")
                % {"code": code, "message": answer.get("errmsg", "")}
            )


CHANNELS = {c.name: c for c in (EmailChannel(), SmsChannel(), WecomChannel())}
