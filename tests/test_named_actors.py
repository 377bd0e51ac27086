"""No product code writes as nobody: every service call names its actor (issue 9).

The services keep `actor=None` for the tests' own set-up only; the commands act as a named login
(`--as`, HUITOUKAN_OPERATOR) and the demo as its own logins.
"""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "huitoukan"
ANONYMOUS = re.compile(r"\bactor\s*=\s*None\b")


def test_no_call_in_the_product_passes_actor_none():
    found = [f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
             for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if ANONYMOUS.search(line) and not line.lstrip().startswith(("def ", "#"))]
    assert not found, "a write as nobody:\n" + "\n".join(found)
