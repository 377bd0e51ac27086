"""Group robots' webhooks in their documented formats: DingTalk's custom robot (with 加签) and WeCom's.

DingTalk: POST {"msgtype": "markdown", "markdown": {"title", "text"}}; with a secret, the URL
carries `timestamp` (ms since the epoch) and `sign` = urlquote_plus(base64(HMAC-SHA256(key=secret,
msg=f"{timestamp}\\n{secret}"))). WeCom: POST {"msgtype": "markdown", "markdown": {"content"}} to
the robot's key URL. Both answer {"errcode": 0, ...} when they took the message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from urllib.parse import quote_plus, urlsplit

from django.conf import settings

from huitoukan.notifications.models import RobotKind

TIMEOUT_SECONDS = 5
_ANSWER_LIMIT = 64 * 1024


class WebhookFailed(Exception):
    """The robot did not take the message; the text says why (kept on the delivery row)."""


def robot_host_allowed(url: str) -> bool:
    allowed = settings.NOTIFICATION_ROBOT_HOSTS
    return "*" in allowed or (urlsplit(url).hostname or "") in allowed


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    string_to_sign = f"{timestamp_ms}\n{secret}"
    digest = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def dingtalk_signed_url(url: str, secret: str, *, timestamp_ms: int | None = None) -> str:
    if not secret:
        return url
    timestamp_ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    joiner = "&" if urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def _markdown(text: str, link: str) -> str:
    more = f"\n\n[查看详情]({link})" if link else ""
    return f"{text}{more}" if text else more.lstrip()


def dingtalk_payload(*, title: str, text: str, link: str = "") -> dict:
    return {"msgtype": "markdown", "markdown": {"title": title, "text": f"#### {title}\n\n{_markdown(text, link)}"}}


def wecom_payload(*, title: str, text: str, link: str = "") -> dict:
    return {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n{_markdown(text, link)}"}}


def _post_json(url: str, payload: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(payload, ensure_ascii=False).encode(), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) only, checked)
            raw = response.read(_ANSWER_LIMIT)
    except urllib.error.HTTPError as e:
        raise WebhookFailed(f"HTTP {e.code} {e.reason}") from e
    except (urllib.error.URLError, OSError) as e:
        raise WebhookFailed(f"连接失败：{getattr(e, 'reason', e)}") from e
    try:
        return json.loads(raw)
    except ValueError as e:
        raise WebhookFailed(f"应答不是 JSON：{raw[:200]!r}") from e


def robot_post(*, kind: str, url: str, secret: str, title: str, text: str, link: str = "") -> None:
    """Post one message; raise WebhookFailed unless the robot answered errcode 0."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise WebhookFailed("Webhook 地址须以 https:// 或 http:// 开头")
    if not robot_host_allowed(url):
        raise WebhookFailed(f"主机 {urlsplit(url).hostname} 不在允许的机器人主机中")
    if kind == RobotKind.DINGTALK:
        answer = _post_json(dingtalk_signed_url(url, secret), dingtalk_payload(title=title, text=text, link=link))
    elif kind == RobotKind.WECOM:
        answer = _post_json(url, wecom_payload(title=title, text=text, link=link))
    else:
        raise WebhookFailed(f"未知的机器人类型 {kind}")
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        code = answer.get("errcode") if isinstance(answer, dict) else None
        message = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        raise WebhookFailed(f"机器人拒收：errcode={code} {message}".strip())
