"""The security-log events this app writes (their labels and outcomes: audit.models)."""

from huitoukan.audit.models import SecurityEventKind

POLICY_CHANGED = SecurityEventKind.POLICY_CHANGED  # 修改安全策略
PASSWORD_CHANGED = SecurityEventKind.PASSWORD_CHANGED  # 修改密码
SESSION_ENDED = SecurityEventKind.SESSION_ENDED  # 强制结束会话
ACCOUNT_STALE_DISABLED = SecurityEventKind.ACCOUNT_STALE_DISABLED  # 停用闲置账号
