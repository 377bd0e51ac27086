"""The ledgers' chain kept anchored and checked by the running system (ledgers.chain, docs/ledger-chain.md)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huitoukan.ledgers import chain


@db_periodic_task(crontab(minute="*/10"))
def anchor_ledger_chain() -> None:
    """The links sealed since the last anchor, counted into a new one (nothing when none was sealed)."""
    chain.chain_anchor()


@db_periodic_task(crontab(hour="2", minute="30"))
def verify_ledger_chain() -> None:
    """Every night the whole chain; a break goes to the security log (台账链校验未通过) for the 审计管理员."""
    report = chain.chain_verify()
    if not report.ok:
        chain.chain_broken_record(report)
