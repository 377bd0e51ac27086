"""check-evidence finds missing, damaged and orphaned evidence files."""

import io

import pytest
from django.core.management import CommandError, call_command

from huitoukan.ledgers import services
from huitoukan.ledgers.evidence import evidence_path, evidence_root
from huitoukan.ledgers.integrity import evidence_check
from tests.ledgers.conftest import pdf

pytestmark = pytest.mark.django_db


def test_a_clean_store_passes(lw):
    item = services.item_create(actor=lw.office, ledger=lw.ledger, problem="x", lead_leaders=[lw.leader_person])
    services.evidence_add(actor=lw.leader, item=item, files=[pdf()])
    report = evidence_check()
    assert report.ok and report.checked == 1 and not report.orphans
    call_command("check-evidence")


def test_damaged_missing_and_orphaned_files_are_reported(lw):
    item = services.item_create(actor=lw.office, ledger=lw.ledger, problem="x", lead_leaders=[lw.leader_person])
    first = services.evidence_add(actor=lw.leader, item=item, files=[pdf()])[0]
    second = services.evidence_add(actor=lw.leader, item=item, files=[pdf("b.pdf", b"%PDF-1.4 other")])[0]
    evidence_path(first.sha256).write_bytes(b"%PDF-tampered")
    evidence_path(second.sha256).unlink()
    orphan = evidence_root() / "ab" / ("ab" + "0" * 62)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left over")
    report = evidence_check()
    assert report.damaged == [first.sha256] and report.missing == [second.sha256]
    assert report.orphans == [orphan.name]
    with pytest.raises(CommandError):
        call_command("check-evidence")


def test_an_orphaned_file_alone_fails_the_check_and_is_listed(lw):
    # given a store whose rows are all sound, and one file no row refers to
    item = services.item_create(actor=lw.office, ledger=lw.ledger, problem="x", lead_leaders=[lw.leader_person])
    services.evidence_add(actor=lw.leader, item=item, files=[pdf()])
    orphan = evidence_root() / "cd" / ("cd" + "0" * 62)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left over")
    out = io.StringIO()

    # when the command checks the store
    with pytest.raises(CommandError) as err:
        call_command("check-evidence", stdout=out)

    # then it fails with exit code 3 and names the orphan
    assert err.value.returncode == 3 and not evidence_check().ok
    assert orphan.name in out.getvalue()
