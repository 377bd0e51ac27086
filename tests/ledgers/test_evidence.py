"""Evidence files: type and size checked, stored once by digest, durable names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huitoukan.core.errors import DomainError
from huitoukan.ledgers.errors import LedgerErrorCode
from huitoukan.ledgers.evidence import evidence_path, evidence_store
from tests.ledgers.conftest import PDF


def store(name, body):
    return evidence_store([SimpleUploadedFile(name, body)])[0]


def test_a_pdf_is_stored_under_its_digest_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first, second = store("a.pdf", PDF), store("b.pdf", PDF)
    assert first.sha256 == second.sha256
    assert evidence_path(first.sha256).read_bytes() == PDF
    assert not [p for p in (tmp_path / "evidence").iterdir() if p.name.startswith(".upload-")]


@pytest.mark.parametrize("name, body, code", [
    ("run.exe", b"MZ...", LedgerErrorCode.FILE_TYPE),
    ("fake.pdf", b"MZ not a pdf", LedgerErrorCode.FILE_TYPE),
    ("empty.pdf", b"", LedgerErrorCode.FILE_EMPTY),
])
def test_bad_files_are_refused_and_leave_nothing(settings, tmp_path, name, body, code):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(DomainError) as err:
        store(name, body)
    assert err.value.code == code and name in err.value.message
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_file_over_the_limit_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(DomainError) as err:
        store("big.pdf", PDF + b"0" * 2048)
    assert err.value.code == LedgerErrorCode.FILE_TOO_LARGE


def test_one_refused_file_stores_none_of_the_files_of_its_write(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(DomainError) as err:
        evidence_store([SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("fake.pdf", b"MZ not a pdf")])
    assert err.value.code == LedgerErrorCode.FILE_TYPE and "fake.pdf" in err.value.message
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
