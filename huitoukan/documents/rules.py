"""Who may do what with 公文, every decision through huitoukan.access.policy.

- Draft: `document.draft` (the 活动办), in the name of a unit where the login's office holds it (its
  grant's unit), about that unit or one below it (the subject unit).
- Drafts are the drafting side's only: whoever holds `document.draft` over the issuing unit reads,
  edits and issues them (its office, or an office above). Nobody else sees that a draft exists (404).
- Issued documents: whoever reads the subject unit's business data (`work.view`) reads them; the issuing
  unit is the subject unit or above it, so its readers do too.
- The 机关代字 of a unit: its own office (`document.draft` held at the unit itself).
"""

from __future__ import annotations

from django.db.models import Q

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.documents.errors import DocumentErrorCode
from huitoukan.documents.models import Document, DocumentState


def issuing_units(user, unit) -> list:
    """The units `user` may issue a document about `unit` in the name of, nearest first: the units of
    its own office grants at or above `unit`."""
    held = {a.unit_id: a.unit for a in policy.assignments_of(user)
            if policy.holds_at(user, Perm.DOCUMENT_DRAFT, a.unit) and unit.path.startswith(a.unit.path)}
    return sorted(held.values(), key=lambda u: -len(u.path))


def drafting_side(user, document: Document) -> bool:
    return policy.can(user, Perm.DOCUMENT_DRAFT, document.issuing_unit)


def may_read(user, document: Document) -> bool:
    if document.state == DocumentState.DRAFT:
        return drafting_side(user, document)
    return drafting_side(user, document) or policy.can(user, Perm.WORK_VIEW, document.unit)


def documents_q(user) -> Q:
    """The documents `user` may read, as a filter."""
    drafting = policy.units_q(user, Perm.DOCUMENT_DRAFT, "issuing_unit__path")
    issued = Q(state=DocumentState.ISSUED) & policy.units_q(user, Perm.WORK_VIEW, "unit__path")
    return drafting | issued


def write_refusal(user, document: Document):
    """Editing and issuing: the drafting side's. 403 to a reader of the issued document, else 404."""
    if drafting_side(user, document):
        return None
    if may_read(user, document):
        return policy.Forbidden(Perm.DOCUMENT_DRAFT, document.unit, DocumentErrorCode.NOT_DRAFTER)
    return policy.Denied(Perm.DOCUMENT_DRAFT, document.unit)


def draft_refusal(user, unit):
    """Drafting about `unit`: 403 to a reader of the unit without an office over it, 404 to anybody else."""
    if issuing_units(user, unit):
        return None
    return policy.refusal(user, Perm.DOCUMENT_DRAFT, unit, DocumentErrorCode.NOT_DRAFTER)


def prefix_refusal(user, unit):
    if policy.holds_at(user, Perm.DOCUMENT_DRAFT, unit):
        return None
    return policy.refusal(user, Perm.DOCUMENT_DRAFT, unit, DocumentErrorCode.NOT_THE_OFFICE_OF_UNIT)


def raise_if(refused) -> None:
    if refused is not None:
        raise refused
