"""The daily jobs run now from the command line share one command (jobs.commands.DailyJobCommand)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["remind", "notices-escalate", "opinions-remind"])
def test_each_daily_command_runs_its_job_here_and_refuses_a_bad_date(name):
    out = io.StringIO()
    call_command(name, date="2015-01-20", stdout=out)
    assert out.getvalue().strip()  # the job's last stage
    with pytest.raises(CommandError, match="格式不正确"):
        call_command(name, date="2015-13-40")
