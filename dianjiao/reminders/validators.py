"""What the profile refuses: a phone number that is not one, a group-robot address that would
send a township's to-dos in the clear, a robot key written into the database."""

import ipaddress
import re
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
ENV_REF = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")


def validate_phone(value: str) -> None:
    """A mainland mobile number (11 digits from 13…19) or a landline with its area code."""
    if value and not (MOBILE.match(value) or LANDLINE.match(value)):
        raise ValidationError(
            _(
                "电话号码格式不正确：请填写11位手机号（如13912345678）或带区号的固话（如0906-1234567）"
            ),
            code="phone",
        )


def is_mobile(value: str) -> bool:
    return bool(MOBILE.match(value or ""))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_webhook(value: str) -> None:
    """https, or plain http to this machine only (a test stand-in or a local relay); the robot's
    key is not stored: it is written as ${VARIABLE} and read from the environment when sending."""
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(_("请填写完整的网址，以 https:// 开头"), code="webhook")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValidationError(
            _("群机器人地址必须使用 https（只有本机地址 127.0.0.1 可以用 http）"), code="webhook"
        )
    for name, param in parse_qsl(parts.query, keep_blank_values=True):
        if name.lower() == "key" and not ENV_REF.fullmatch(param):
            raise ValidationError(
                _(
                    "请不要把机器人密钥写在这里：写成 key=${变量名}，"
                    "并由管理员在服务器的环境变量中设置该变量"
                ),
                code="webhook_key",
            )
