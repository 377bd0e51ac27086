"""Kinds of the security-log events this app writes.

They are plain strings (huitoukan.audit.models.SecurityEventKind lists the kinds with their labels;
these are to be added there by the log's owner, with their outcome).
"""

POLICY_CHANGED = "policy_changed"  # 修改安全策略
PASSWORD_CHANGED = "password_changed"  # 修改密码
SESSION_ENDED = "session_ended"  # 强制结束会话
ACCOUNT_STALE_DISABLED = "account_stale_disabled"  # 闲置账号停用
