"""Durable jobs: claimed once, result put in place whole, stalled jobs queued again, requester only."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import openpyxl
import pytest
from django.utils import timezone

from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.core.errors import DomainError
from huitoukan.jobs import services
from huitoukan.jobs.models import Job, JobState
from huitoukan.jobs.registry import JobOutcome, job_kind
from huitoukan.jobs.services import JobLost, job_run, job_start, jobs_requeue_stale
from huitoukan.ledgers import exports
from huitoukan.ledgers import jobs as ledger_jobs
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from tests.ledgers.conftest import lw_build

pytestmark = pytest.mark.django_db
CALLS: list[str] = []


class _Code(Enum):
    REFUSED = "台账不存在"


@job_kind("tests.lines")
def _lines(context) -> JobOutcome:
    CALLS.append(str(context.job.pk))
    n = context.params.get("lines", 3)
    with open(context.output, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(f"第{i}行\n")
            context.progress(i + 1, n, "写入")
    if context.params.get("fail") == "domain":
        raise DomainError(_Code.REFUSED)
    if context.params.get("fail") == "bug":
        raise RuntimeError("boom")
    return JobOutcome("结果.txt", "text/plain", n)


def _start(user=None, **params) -> Job:
    return job_start(kind="tests.lines", title="测试任务", params=params, requester=user, queue=False)


def _files(job: Job) -> list[str]:
    folder = services.job_folder(job)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_job_runs_once_and_its_result_is_put_in_place_whole():
    job = job_run(_start(lines=5).pk)
    assert job.state == JobState.DONE and job.attempts == 1 and job.result_rows == 5
    assert (job.progress_done, job.progress_total) == (5, 5) and job.percent == 100
    path = services.job_result_path(job)
    assert path.read_text(encoding="utf-8").count("\n") == 5
    assert job.result_size == path.stat().st_size and len(job.result_sha256) == 64
    assert _files(job) == ["result.txt"]
    # A finished job is not run again.
    CALLS.clear()
    assert job_run(job.pk).state == JobState.DONE and CALLS == []


def test_a_running_job_is_not_claimed_twice():
    job = _start()
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, claim="other", heartbeat_at=timezone.now())
    CALLS.clear()
    assert job_run(job.pk).state == JobState.RUNNING and CALLS == []


@pytest.mark.parametrize(("fail", "message"), [("domain", "台账不存在"), ("bug", "任务执行出错")])
def test_a_failing_job_keeps_its_message_and_no_file(fail, message):
    job = job_run(_start(fail=fail).pk)
    assert job.state == JobState.FAILED and message in job.error
    assert services.job_result_path(job) is None and _files(job) == []


def test_a_stalled_job_is_queued_again_and_finishes_once_with_no_partial_file(settings):
    job = _start(lines=4)
    # A worker that died mid-job: running, an old heartbeat, half a file under its attempt's name.
    folder = services.job_folder(job)
    folder.mkdir(parents=True)
    (folder / "deadbeef.part").write_text("第0行\n", encoding="utf-8")
    old = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, claim="deadbeef", attempts=1, heartbeat_at=old)
    fresh = _start()
    Job.objects.filter(pk=fresh.pk).update(state=JobState.RUNNING, claim="alive", heartbeat_at=timezone.now())

    assert jobs_requeue_stale() == 1
    assert Job.objects.get(pk=fresh.pk).state == JobState.RUNNING  # its worker is alive: left alone
    job = job_run(job.pk)
    assert job.state == JobState.DONE and job.attempts == 2
    assert _files(job) == ["result.txt"]


def test_a_job_that_keeps_dying_is_given_up(settings):
    job = _start()
    old = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, claim="x", attempts=settings.JOB_MAX_ATTEMPTS,
                                         heartbeat_at=old)
    assert jobs_requeue_stale() == 0
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "中断" in job.error


def test_an_attempt_taken_for_dead_stops_and_keeps_nothing():
    job = _start(lines=3)

    @job_kind("tests.overtaken")
    def overtaken(context):
        with open(context.output, "w") as f:
            f.write("x")
        Job.objects.filter(pk=context.job.pk).update(claim="someone-else")
        context.progress(1, 1)
        raise AssertionError("progress() must raise JobLost")

    Job.objects.filter(pk=job.pk).update(kind="tests.overtaken")
    job_run(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.claim == "someone-else" and _files(job) == []
    assert issubclass(JobLost, Exception)


def test_queued_jobs_are_enqueued_when_the_transaction_commits(django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "_enqueue", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.lines", title="测试任务", params={}, requester=None)
    assert sent == [str(job.pk)]


# ---- the pages: the requester's alone ---------------------------------------------------------


@pytest.fixture
def lw(tree, make_user):
    return lw_build(tree, make_user)


def test_only_the_requester_sees_the_job_and_downloads_its_result(client, lw):
    job = job_run(_start(lw.office, lines=2).pk)
    client.force_login(lw.office)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and "下载 结果.txt" in page.content.decode()
    assert "测试任务" in client.get("/jobs/").content.decode()
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content).decode().count("\n") == 2
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).latest("pk")
    assert event.detail["job"] == str(job.pk) and event.username == "office"

    client.force_login(lw.head)  # reads the same unit, but did not ask for the file
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert "测试任务" not in client.get("/jobs/").content.decode()


def test_the_progress_fragment_polls_until_the_job_is_finished(client, lw):
    job = _start(lw.office)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, progress_done=3, progress_total=12)
    client.force_login(lw.office)
    fragment = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "3 / 12" in fragment and "<html" not in fragment
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404  # nothing to download yet
    job_run(job.pk)  # claimed only when queued: put it back first
    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    job_run(job.pk)
    fragment = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and "下载" in fragment


# ---- the ledgers' subtree export as a job ----------------------------------------------------


def _items(lw, ledger, n):
    for i in range(n):
        ledger_services.item_create(actor=lw.office, ledger=ledger, problem=f"问题{i}", measures="整改",
                                    lead_leaders=[lw.leader_person] if ledger == lw.ledger else [])


def test_a_subtree_export_runs_as_a_job_and_holds_every_row(client, lw, monkeypatch):
    township = ledger_services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.qiaotouhe,
                                           kind=LedgerKind.LEADERSHIP)
    _items(lw, lw.ledger, 3)
    _items(lw, township, 2)
    monkeypatch.setattr(ledger_jobs, "DIRECT_EXPORT_ROWS_MAX", 4)
    client.force_login(lw.office)
    query = f"campaign={lw.campaign.pk}&unit={lw.tree.lianyuan.pk}&kind=leadership"
    offer = client.get(f"/ledgers/export/?{query}")
    assert offer.status_code == 200 and "在后台生成" in offer.content.decode()  # 5 rows > 4: not in the request
    started = client.post("/ledgers/export/job/", {"campaign": lw.campaign.pk, "unit": lw.tree.lianyuan.pk,
                                                   "kind": "leadership"})
    job = Job.objects.get(requester=lw.office)
    assert started["Location"] == f"/jobs/{job.pk}/"
    job = job_run(job.pk)
    assert job.state == JobState.DONE and job.result_rows == 5
    sheets = openpyxl.load_workbook(services.job_result_path(job), read_only=True).sheetnames
    assert sheets == ["涟源市", "桥头河镇"]


def test_a_large_subtree_is_written_a_sheet_per_child_with_a_unit_column(lw, monkeypatch, tmp_path):
    township = ledger_services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.qiaotouhe,
                                           kind=LedgerKind.LEADERSHIP)
    village = ledger_services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.shishi,
                                          kind=LedgerKind.LEADERSHIP)
    _items(lw, lw.ledger, 2)
    _items(lw, township, 1)
    _items(lw, village, 2)
    monkeypatch.setattr(exports, "SHEET_PER_LEDGER_MAX", 1)
    seen = []
    rows, ledgers = exports.subtree_workbook_write(
        tmp_path / "x.xlsx", user=lw.office, campaign=lw.campaign, root_unit=lw.tree.lianyuan,
        kind=LedgerKind.LEADERSHIP, progress=lambda done, total: seen.append((done, total)))
    assert (rows, ledgers) == (5, 3) and seen[-1] == (5, 5)
    book = openpyxl.load_workbook(tmp_path / "x.xlsx", read_only=True)
    assert book.sheetnames == ["涟源市（本级）", "桥头河镇"]
    cells = [r for r in book["桥头河镇"].iter_rows(values_only=True)]
    assert cells[3][:3] == ("序号", "单位", "突出问题")
    assert [r[1] for r in cells[4:7]] == ["桥头河镇", "石狮村", "石狮村"]
    assert "涟源市/桥头河镇及下级单位" in cells[2][0]


def test_a_job_without_a_file_ends_with_its_summary(lw):
    from huitoukan.ledgers.jobs import totals_rebuild_start

    job = job_run(totals_rebuild_start(queue=False).pk)
    assert job.state == JobState.DONE and job.stage.startswith("已重新统计汇总数") and job.result_rows > 0
    assert services.job_result_path(job) is None and _files(job) == []


def test_a_requester_who_lost_the_scope_loses_the_result_too(client, lw):
    from huitoukan.access import services as access_services
    from huitoukan.access.models import RoleAssignment
    from huitoukan.ledgers.jobs import subtree_export_start

    job = job_run(subtree_export_start(user=lw.office, campaign=lw.campaign, root_unit=lw.tree.lianyuan,
                                       kind=LedgerKind.LEADERSHIP, queue=False).pk)
    client.force_login(lw.office)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200
    for grant in RoleAssignment.objects.filter(user=lw.office):
        access_services.role_revoke(actor=None, assignment=grant)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
