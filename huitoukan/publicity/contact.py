"""The sender's contact details, kept only as SM4-GCM ciphertext (GB/T 32907 block cipher, GCM mode).

Stored bytes: a version byte, a 12-byte random nonce, the ciphertext, the 16-byte tag. The opinion's number is
the associated data: a ciphertext copied onto another opinion does not decrypt there.

The 16-byte key is settings.CONTACT_KEY (32 hex digits, from the environment). Without it the key is derived
from SECRET_KEY with HKDF: good enough for the demo, and a system check (publicity.W001) warns outside DEBUG.
Rotating the key needs a re-encryption of every row (not provided yet): keep the key with the backups.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks

VERSION = b"\x01"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 16


class ContactKeyError(ValueError):
    """CONTACT_KEY is set but is not 32 hex digits."""


class ContactUnreadable(ValueError):
    """The stored bytes do not decrypt with this key and number (another key, a changed or moved row)."""


@dataclass(frozen=True)
class Contact:
    name: str = ""
    means: str = ""  # a phone number or an email address

    def __bool__(self) -> bool:
        return bool(self.name or self.means)


def contact_key() -> bytes:
    configured = (settings.CONTACT_KEY or "").strip()
    if configured:
        try:
            key = bytes.fromhex(configured)
        except ValueError:
            raise ContactKeyError("CONTACT_KEY must be 32 hex digits") from None
        if len(key) != KEY_BYTES:
            raise ContactKeyError("CONTACT_KEY must be 32 hex digits")
        return key
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=b"huitoukan publicity contact key v1").derive(settings.SECRET_KEY.encode())


def contact_encrypt(contact: Contact, *, number: str) -> bytes | None:
    """The stored form of `contact` for the opinion numbered `number`; None when there is nothing to keep."""
    if not contact:
        return None
    plain = json.dumps({"name": contact.name, "means": contact.means}, ensure_ascii=False,
                       separators=(",", ":")).encode()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(contact_key()), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(number.encode())
    body = encryptor.update(plain) + encryptor.finalize()
    return VERSION + nonce + body + encryptor.tag


def contact_decrypt(stored: bytes | memoryview | None, *, number: str) -> Contact:
    """The contact kept in `stored` for the opinion numbered `number` (an empty Contact for none)."""
    if not stored:
        return Contact()
    data = bytes(stored)
    if len(data) < 1 + NONCE_BYTES + TAG_BYTES or data[:1] != VERSION:
        raise ContactUnreadable("unknown format")
    nonce, body, tag = data[1:1 + NONCE_BYTES], data[1 + NONCE_BYTES:-TAG_BYTES], data[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(contact_key()), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(number.encode())
    try:
        plain = decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise ContactUnreadable("does not decrypt") from None
    fields = json.loads(plain)
    return Contact(name=fields.get("name", ""), means=fields.get("means", ""))


@checks.register(checks.Tags.security)
def contact_key_form_check(app_configs=None, **kwargs) -> list:
    """publicity.E001: a malformed key stops the server at its start."""
    if (settings.CONTACT_KEY or "").strip():
        try:
            contact_key()
        except ContactKeyError:
            return [checks.Error("HUITOUKAN_CONTACT_KEY 须为32位十六进制数字（16字节的SM4密钥）。", id="publicity.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def contact_key_check(app_configs=None, **kwargs) -> list:
    """publicity.W001 (`check --deploy`, as the demo keys' checks): a deployment's contact details need a key
    of their own, kept apart from the database's backups."""
    if not (settings.CONTACT_KEY or "").strip() and not settings.DEBUG:
        return [checks.Warning(
            "未设置 HUITOUKAN_CONTACT_KEY：群众联系方式的加密密钥由 SECRET_KEY 派生，仅适用于演示。",
            hint="生成密钥：python -c \"import secrets; print(secrets.token_hex(16))\"，并与备份分开妥善保管。",
            id="publicity.W001")]
    return []
