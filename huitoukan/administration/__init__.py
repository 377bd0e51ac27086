"""The consoles of the 三员 (系统管理员, 安全管理员, 审计管理员): role grants and the security log.

The top floor but one: these pages, endpoints and commands read orgs through its selectors,
grant through access.services and check through access.policy, and read the audit app's log,
so they sit above every business app and below only the portal.
"""
