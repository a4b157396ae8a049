"""The job worker's own behaviour, in the test's process: retries with
backoff, the jobs of dead workers taken up again, scheduled jobs queued once
per period, and what `askwell jobs` shows and retries. The real processes
(a worker killed with SIGKILL) are in test_worker.py."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from askwell.operations import jobs
from askwell.operations.models import JobWorker, ScheduledJob
from askwell.operations.schedule import Scheduled
from askwell.operations.tasks import prune_jobs
from askwell.operations.tests import tasks
from askwell.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.usefixtures("job_queue")


@pytest.fixture(autouse=True)
def _retries(settings):
    settings.ASKWELL_JOB_ATTEMPTS = 3
    settings.ASKWELL_JOB_RETRY_SECONDS = 30


def _due_now(job: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=job.pk).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


def test_a_failed_job_runs_again_later_each_time_later_then_stays_failed():
    # given
    result = tasks.fail.enqueue("SMTP server down")
    # when: the first run fails
    run_queued_jobs()
    # then: it waits 30 s, its error kept
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == "READY"
    assert len(job.worker_ids) == 1
    wait = job.run_after - timezone.now()
    assert timedelta(seconds=25) < wait <= timedelta(seconds=30)
    assert jobs.error_summary(job) == "ConnectionRefusedError: SMTP server down"
    assert run_queued_jobs() == 0, "not before its time"
    # when: the second run fails
    _due_now(job)
    run_queued_jobs()
    # then: three times longer
    job.refresh_from_db()
    assert job.status == "READY"
    wait = job.run_after - timezone.now()
    assert timedelta(seconds=85) < wait <= timedelta(seconds=90)
    # when: the third and last attempt fails
    _due_now(job)
    run_queued_jobs()
    # then
    job.refresh_from_db()
    assert job.status == "FAILED"
    assert len(job.worker_ids) == 3
    assert jobs.error_summary(job) == "ConnectionRefusedError: SMTP server down"


def test_a_job_that_succeeds_on_a_later_attempt_ends_without_error(tmp_path):
    # given
    counter = tmp_path / "runs"
    result = tasks.fail_times.enqueue(str(counter), 1)
    run_queued_jobs()
    job = DBTaskResult.objects.get(pk=result.id)
    _due_now(job)
    # when
    run_queued_jobs()
    # then
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert len(job.worker_ids) == 2
    assert job.traceback == ""
    assert counter.read_text() == "2"


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [(1, 30), (2, 90), (3, 270), (8, 6 * 3600), (20, 6 * 3600)],
)
def test_backoff_triples_up_to_six_hours(attempts, wait):
    assert jobs.backoff(attempts) == timedelta(seconds=wait)


def _running(worker_id: str, *, attempts: int = 1) -> DBTaskResult:
    result = tasks.note.enqueue("/dev/null", "x")
    job = DBTaskResult.objects.get(pk=result.id)
    job.worker_ids = [f"earlier-{n}" for n in range(attempts - 1)]
    job.claim(worker_id)
    return job


def _worker(worker_id: str, *, pid: int, seen_ago: timedelta, host: str = "") -> None:
    JobWorker.objects.create(
        worker_id=worker_id,
        hostname=host or jobs.this_machine(),
        pid=pid,
        seen_at=timezone.now() - seen_ago,
    )


def _dead_pid() -> int:
    """A process id that no process has: a child that ran and was reaped."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_a_job_left_running_by_a_dead_worker_is_queued_again():
    # given: one worker's process is gone, another still runs (this one)
    _worker("dead", pid=_dead_pid(), seen_ago=timedelta(seconds=2))
    _worker("alive", pid=os.getpid(), seen_ago=timedelta(seconds=2))
    lost = _running("dead")
    kept = _running("alive")
    # when
    recovered = jobs.recover_lost_jobs()
    # then
    assert recovered == [str(lost.id)]
    lost.refresh_from_db()
    assert lost.status == "READY"
    assert lost.run_after == get_date_max()
    assert lost.exception_class_path == jobs.LOST_JOB_ERROR
    assert "The worker dead stopped while running this job" in lost.traceback
    kept.refresh_from_db()
    assert kept.status == "RUNNING"


def test_a_worker_on_another_machine_is_dead_once_it_stops_giving_signs_of_life():
    # given
    _worker("quiet", pid=1, seen_ago=timedelta(seconds=61), host="elsewhere")
    _worker("busy", pid=1, seen_ago=timedelta(seconds=50), host="elsewhere")
    lost = _running("quiet")
    kept = _running("busy")
    # when
    jobs.recover_lost_jobs()
    # then
    assert DBTaskResult.objects.get(pk=lost.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=kept.pk).status == "RUNNING"


def test_a_process_id_counts_only_in_its_own_pid_namespace():
    """Containers sharing a host name each have their own process ids."""
    # given: a worker of another container, whose pid means nothing here
    other_container = f"{jobs.socket.gethostname()} pid:[1]"
    _worker(
        "next-door",
        pid=_dead_pid(),
        seen_ago=timedelta(seconds=2),
        host=other_container,
    )
    job = _running("next-door")
    # when
    jobs.recover_lost_jobs()
    # then
    assert DBTaskResult.objects.get(pk=job.pk).status == "RUNNING"


def test_a_job_that_keeps_losing_its_worker_fails_for_good():
    # given: its third attempt, the last one
    _worker("dead", pid=_dead_pid(), seen_ago=timedelta(seconds=1))
    job = _running("dead", attempts=3)
    # when
    jobs.recover_lost_jobs()
    # then
    job.refresh_from_db()
    assert job.status == "FAILED"
    assert job.exception_class_path == jobs.LOST_JOB_ERROR


def test_the_job_of_an_unknown_worker_gets_time_before_it_counts_as_lost():
    # given
    fresh = _running("plain-db-worker")
    old = _running("another-plain-db-worker")
    DBTaskResult.objects.filter(pk=old.pk).update(
        started_at=timezone.now() - timedelta(minutes=5)
    )
    # when
    jobs.recover_lost_jobs()
    # then
    assert DBTaskResult.objects.get(pk=fresh.pk).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=old.pk).status == "READY"


def test_a_recovered_job_runs_again(tmp_path):
    # given
    notes = tmp_path / "notes"
    _worker("dead", pid=_dead_pid(), seen_ago=timedelta(seconds=1))
    result = tasks.note.enqueue(str(notes), "done")
    DBTaskResult.objects.get(pk=result.id).claim("dead")
    jobs.recover_lost_jobs()
    # when
    ran = run_queued_jobs()
    # then
    assert ran == 1
    assert notes.read_text() == "done\n"
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == "SUCCESSFUL"
    assert job.worker_ids == ["dead", "test-worker"]


def test_housekeeping_writes_the_workers_sign_of_life_and_stop_removes_it():
    # when
    jobs.housekeeping("w1")
    # then
    worker = JobWorker.objects.get()
    assert worker.pid == os.getpid()
    assert timezone.now() - worker.seen_at < timedelta(seconds=5)
    # when
    jobs.stop("w1")
    # then
    assert not JobWorker.objects.exists()


def test_a_scheduled_job_is_queued_once_per_period_whoever_looks(tmp_path):
    # given
    daily = Scheduled("test.daily", tasks.note, timedelta(days=1))
    schedule = [daily]
    now = timezone.now()
    # when: never run before; two workers look at the same moment
    first = jobs.enqueue_due(now, schedule)
    second = jobs.enqueue_due(now, schedule)
    # then
    assert first == ["test.daily"]
    assert second == []
    assert DBTaskResult.objects.count() == 1
    row = ScheduledJob.objects.get()
    assert row.due_at == now + timedelta(days=1)
    # when: an hour before it is due, then when it is
    assert jobs.enqueue_due(now + timedelta(hours=23), schedule) == []
    assert jobs.enqueue_due(now + timedelta(days=1), schedule) == ["test.daily"]
    # then
    assert DBTaskResult.objects.count() == 2


def _failed_job() -> DBTaskResult:
    result = tasks.fail.enqueue("SMTP server down")
    job = DBTaskResult.objects.get(pk=result.id)
    for _ in range(3):
        _due_now(job)
        run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "FAILED"
    return job


def _jobs(*args: str) -> str:
    out = StringIO()
    call_command("jobs", *args, stdout=out)
    return out.getvalue()


def test_askwell_jobs_lists_failed_and_waiting_jobs_with_their_error(tmp_path):
    # given
    failed = _failed_job()
    waiting = tasks.note.enqueue(str(tmp_path / "notes"), "later")
    # when
    output = _jobs()
    # then
    lines = output.splitlines()
    assert lines[0].startswith(
        f"{waiting.id}  askwell.operations.tests.tasks.note  ready  attempts 0  "
    )
    assert lines[1].startswith(
        f"{failed.id}  askwell.operations.tests.tasks.fail  failed  attempts 3  "
    )
    assert lines[2] == "    last error: ConnectionRefusedError: SMTP server down"
    assert len(lines) == 3


def test_askwell_jobs_filters_by_status():
    # given
    _failed_job()
    # when
    output = _jobs("--status", "running")
    # then
    assert output == "No running jobs.\n"


def test_askwell_jobs_retry_queues_a_failed_job_with_fresh_attempts(tmp_path):
    # given
    failed = _failed_job()
    done = tasks.note.enqueue(str(tmp_path / "notes"), "x")
    run_queued_jobs()
    # when
    output = _jobs("retry", str(failed.id), str(done.id))
    # then
    assert output == (
        f"Queued again: {failed.id}\nNot a failed job, left alone: {done.id}\n"
    )
    failed.refresh_from_db()
    assert failed.status == "READY"
    assert failed.worker_ids == []
    assert run_queued_jobs() == 1
    failed.refresh_from_db()
    assert failed.status == "READY", "failed again, and waits for its next attempt"
    assert len(failed.worker_ids) == 1


def test_askwell_jobs_retry_all_failed():
    # given
    first, second = _failed_job(), _failed_job()
    # when
    output = _jobs("retry", "--all-failed")
    # then
    assert sorted(output.splitlines()) == sorted(
        [f"Queued again: {first.id}", f"Queued again: {second.id}"]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["retry"], "Which jobs? Give their IDs, or --all-failed."),
        (["retry", "not-a-uuid"], "'not-a-uuid' is not a job ID."),
        (["list", "0b5e"], "IDs and --all-failed go with `askwell jobs retry`."),
        (["--limit", "0"], "--limit must be at least 1."),
    ],
)
def test_askwell_jobs_refuses_bad_input(args, message):
    with pytest.raises(CommandError, match=message.replace("?", r"\?")):
        _jobs(*args)


def test_the_schedule_queues_the_digest_daily_and_the_reviewers_reminder_weekly():
    # given
    now = timezone.now()
    # when / then
    assert sorted(jobs.enqueue_due(now)) == [
        "notifications.send_digests",
        "operations.prune_jobs",
        "review.remind_reviewers",
        "search.find_missing_related",
    ]
    assert jobs.enqueue_due(now + timedelta(minutes=59)) == []
    assert jobs.enqueue_due(now + timedelta(hours=1)) == ["search.find_missing_related"]
    assert jobs.enqueue_due(now + timedelta(hours=1, minutes=59)) == []
    assert sorted(jobs.enqueue_due(now + timedelta(days=1))) == [
        "notifications.send_digests",
        "operations.prune_jobs",
        "search.find_missing_related",
    ]
    assert jobs.enqueue_due(now + timedelta(days=7)) == [
        "notifications.send_digests",
        "review.remind_reviewers",
        "operations.prune_jobs",
        "search.find_missing_related",
    ]


def test_pruning_deletes_done_jobs_after_a_week_and_failed_ones_after_a_month(
    tmp_path,
):
    # given
    now = timezone.now()
    failed = _failed_job()
    tasks.note.enqueue(str(tmp_path / "notes"), "x")
    run_queued_jobs()
    done = DBTaskResult.objects.get(status="SUCCESSFUL")
    waiting = tasks.note.enqueue(str(tmp_path / "notes"), "later")

    def finished(job, days):
        DBTaskResult.objects.filter(pk=job.pk).update(
            finished_at=now - timedelta(days=days)
        )

    # when: a week and a day on
    finished(done, 8)
    finished(failed, 8)
    deleted = prune_jobs.call()
    # then
    assert deleted == 1
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        failed.pk,
        uuid.UUID(waiting.id),
    }
    # when: a month and a day on
    finished(failed, 31)
    assert prune_jobs.call() == 1
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["READY"]
