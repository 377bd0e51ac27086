"""Weaken each permission and object-rule check of the ledgers (and the operator's bounds) in turn; the suite must catch every flip.

Each flip replaces one exact piece of source with a weaker one, runs the ledger tests that pin
permissions (stopping at the first failure), and restores the file. A flip the tests do not
catch is printed as SURVIVED and makes the exit code 1.

    .venv/bin/python scripts/flip_checks.py            # every flip
    .venv/bin/python scripts/flip_checks.py --list     # just list them
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = "huitoukan/ledgers/workflow.py"
RULES = "huitoukan/ledgers/rules.py"
SERVICES = "huitoukan/ledgers/services.py"
POLICY = "huitoukan/access/policy.py"
SELECTORS = "huitoukan/ledgers/selectors.py"

# (name, file, exact source, weaker source)
FLIPS = [
    ("edit needs LEDGER_EDIT", WORKFLOW, "A.EDIT: _right(Perm.LEDGER_EDIT)", "A.EDIT: _right(Perm.WORK_VIEW)"),
    ("progress: lead leader or LEDGER_EDIT", WORKFLOW,
     "A.PROGRESS: _leader_or(Perm.LEDGER_EDIT,", "A.PROGRESS: _leader_or(Perm.WORK_VIEW,"),
    ("evidence: lead leader or LEDGER_EDIT", WORKFLOW,
     "A.EVIDENCE: _leader_or(Perm.LEDGER_EDIT,", "A.EVIDENCE: _leader_or(Perm.WORK_VIEW,"),
    ("closing asked by a lead leader only", WORKFLOW,
     "A.REQUEST_CLOSE: _leader_or(None,", "A.REQUEST_CLOSE: _leader_or(Perm.LEDGER_EDIT,"),
    ("verify: not the requester nor a lead leader", WORKFLOW,
     "A.VERIFY_CLOSE: _decider,", "A.VERIFY_CLOSE: _right(Perm.CLOSE_VERIFY),"),
    ("return: not the requester nor a lead leader", WORKFLOW,
     "A.RETURN_CLOSE: _decider,", "A.RETURN_CLOSE: _right(Perm.CLOSE_VERIFY),"),
    ("verify needs CLOSE_VERIFY", WORKFLOW,
     "refused = _right(Perm.CLOSE_VERIFY)(user, subject)", "refused = _right(Perm.WORK_VIEW)(user, subject)"),
    ("send back needs ITEM_REOPEN", WORKFLOW, "A.SEND_BACK: _right(Perm.ITEM_REOPEN)", "A.SEND_BACK: _right(Perm.WORK_VIEW)"),
    ("relapse needs ITEM_REOPEN", WORKFLOW, "A.RELAPSE: _right(Perm.ITEM_REOPEN)", "A.RELAPSE: _right(Perm.WORK_VIEW)"),
    ("the lead-leader rule", WORKFLOW,
     "        if rules.is_lead_leader(user, subject.leader_ids):\n            return None",
     "        if True:\n            return None"),
    ("who is checked at all", WORKFLOW, "    if user is not None:\n        refused = GUARDS", "    if False:\n        refused = GUARDS"),
    ("authorize before input", WORKFLOW,
     "    refused = GUARDS[action](user, subject)\n    if refused is not None:\n        raise refused\n\n\ndef check",
     "    refused = None\n    if refused is not None:\n        raise refused\n\n\ndef check"),
    ("another login of the requester", RULES,
     "return user.pk == other_user.pk or bool(policy.persons_of(user) & policy.persons_of(other_user))",
     "return user.pk == other_user.pk"),
    ("a lead leader does not verify", RULES,
     "return not is_same_person(user, requested_by) and not is_lead_leader(user, leader_ids)",
     "return not is_same_person(user, requested_by)"),
    ("the requester does not verify", RULES,
     "return not is_same_person(user, requested_by) and not is_lead_leader(user, leader_ids)",
     "return not is_lead_leader(user, leader_ids)"),
    ("the 三员 act as no person", POLICY, "    if roles_of(user) & ADMIN_ROLES or is_operator(user):\n        return set()",
     "    if is_operator(user):\n        return set()"),
    ("the operator acts as no person", POLICY, "    if roles_of(user) & ADMIN_ROLES or is_operator(user):\n        return set()",
     "    if roles_of(user) & ADMIN_ROLES:\n        return set()"),
    ("the operator holds no business data", POLICY,
     "    everywhere = is_operator(user) and perm in OPERATOR_PERMISSIONS", "    everywhere = is_operator(user)"),
    ("a top unit is the operator's alone", POLICY,
     "        return (perm in GLOBAL_PERMISSIONS or perm == P.UNIT_MANAGE) and scope(user, perm).everywhere",
     "        return perm in GLOBAL_PERMISSIONS or perm == P.UNIT_MANAGE"),
    ("only the operator grants the 三员", "huitoukan/access/services.py",
     "        if role not in policy.GRANTABLE_ROLES and not policy.is_operator(actor):",
     "        if False:"),
    ("403 only to readers", POLICY, "    if unit is not None and read != perm and can(user, read, unit):",
     "    if unit is not None and read != perm:"),
    ("service: edit through the workflow", SERVICES,
     "    workflow.check(actor, Action.EDIT,", "    (lambda *a: None)(actor, Action.EDIT,"),
    ("service: progress through the workflow", SERVICES,
     "            workflow.check(actor, action, subject)", "            (lambda *a: None)(actor, action, subject)"),
    ("service: evidence through the workflow", SERVICES,
     "    workflow.check(actor, Action.EVIDENCE,", "    (lambda *a: None)(actor, Action.EVIDENCE,"),
    ("service: closing request through the workflow", SERVICES,
     "    workflow.check(actor, Action.REQUEST_CLOSE,", "    (lambda *a: None)(actor, Action.REQUEST_CLOSE,"),
    ("service: decisions through the workflow", SERVICES,
     "    workflow.check(actor, action, workflow.ItemSubject.of(item, pending=request))",
     "    (lambda *a: None)(actor, action, workflow.ItemSubject.of(item, pending=request))"),
    ("service: send back through the workflow", SERVICES,
     "    workflow.check(actor, Action.SEND_BACK,", "    (lambda *a: None)(actor, Action.SEND_BACK,"),
    ("service: relapse through the workflow", SERVICES,
     "    workflow.check(actor, Action.RELAPSE,", "    (lambda *a: None)(actor, Action.RELAPSE,"),
    ("item creation needs LEDGER_EDIT", SERVICES,
     "    _check(actor, Perm.LEDGER_EDIT, ledger.unit)\n    ledger = Ledger.objects.select_for_update(of=",
     "    _check(actor, Perm.WORK_VIEW, ledger.unit)\n    ledger = Ledger.objects.select_for_update(of="),
    ("a plan: lead leader or LEDGER_EDIT", WORKFLOW,
     "A.PLAN: _leader_or(Perm.LEDGER_EDIT,", "A.PLAN: _leader_or(Perm.WORK_VIEW,"),
    ("a written unit is refused on that unit", "huitoukan/orgs/selectors.py",
     "        unit_get_for(user=user, pk=pk, perm=perm)\n    policy.require_somewhere", "        pass\n    policy.require_somewhere"),
    ("reading an item needs scope", SELECTORS, "    policy.require(user, perm, item.ledger.unit)\n    return item",
     "    return item"),
]

TESTS = ["tests/ledgers/test_service_matrix.py", "tests/ledgers/test_action_parity.py", "tests/test_route_table.py",
         "tests/ledgers/test_import.py", "tests/ledgers/test_item_lifecycle.py",
         "tests/ledgers/test_review_rules.py", "tests/ledgers/test_pages.py", "tests/api/test_ledgers.py",
         "tests/access/test_commands.py", "tests/access/test_role_services.py", "tests/orgs/test_unit_services.py"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--only", default="", help="only the flips whose name contains this text")
    args = parser.parse_args()
    survived = 0
    flips = [f for f in FLIPS if args.only in f[0]]
    for name, rel, old, new in flips:
        path = ROOT / rel
        source = path.read_text()
        if source.count(old) != 1:
            print(f"STALE     {name}: the source to flip is not found once in {rel}")
            survived += 1
            continue
        if args.list:
            print(f"{rel}: {name}")
            continue
        path.write_text(source.replace(old, new))
        started = time.monotonic()
        try:
            run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", *TESTS],
                                 cwd=ROOT, capture_output=True, text=True)
        finally:
            path.write_text(source)
        took = time.monotonic() - started
        caught = run.returncode != 0
        survived += not caught
        first = next((line for line in run.stdout.splitlines() if line.startswith("FAILED")), "")
        print(f"{'caught  ' if caught else 'SURVIVED'}  {took:5.1f} s  {name}  {first}", flush=True)
    if not args.list:
        print(f"{len(flips) - survived} of {len(flips)} flips caught")
    return 1 if survived else 0


if __name__ == "__main__":
    raise SystemExit(main())
