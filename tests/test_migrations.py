"""The migrations describe the models exactly.

The test databases are made from the models (`--no-migrations` in pyproject.toml: replaying the migrations
cost each xdist worker ~30 s of CPU), so this is what ties them to what a deployment builds: a model change
without its migration fails here. The migrations themselves are applied from zero by `make run` and by the
end-to-end tests that start real processes (tests/jobs/test_kill.py, tests/audit/test_served_anchors.py,
tests/portal/test_backup.py); their data steps are tested where they matter (tests/access/test_account_kinds.py).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_model_change_has_its_migration(tmp_path):
    # In a process of its own: under pytest-django's --no-migrations this one sees no migrations at all.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "HUITOUKAN_VAR")}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "HUITOUKAN_VAR": str(tmp_path / "var")}
    result = subprocess.run([sys.executable, "-m", "huitoukan.cli", "makemigrations", "--check", "--dry-run"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"models differ from their migrations:\n{result.stdout}{result.stderr}"
