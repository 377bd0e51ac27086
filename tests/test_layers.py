"""The layer contract of pyproject.toml ([tool.importlinter]): imports between apps only go down.

portal > administration > ledgers > campaigns > orgs > access > audit > core, and no app
imports the project-level modules (settings, urls, api, …). A forbidden or circular import
between apps fails here, with import-linter's report of the offending chain.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_imports_between_apps_follow_the_layers():
    # `lint-imports`, run by this interpreter: the same as the command of `make lint` and CI.
    command = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    result = subprocess.run(
        [sys.executable, "-c", command, "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
