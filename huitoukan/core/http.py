"""HTTP details every download shares."""

from __future__ import annotations

from urllib.parse import quote


def content_disposition(filename: str, ascii_stem: str = "download") -> str:
    """An attachment header with an ASCII fallback and the UTF-8 name (RFC 5987/6266).

    `组织树-涟源市.xlsx` with `ascii_stem="units"` → `attachment; filename="units.xlsx"; filename*=UTF-8''…`.
    """
    fallback = f"{ascii_stem}." + filename.rpartition(".")[2]
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
