import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from huitoukan.audit.services import security_log_anchor_if_moved


class Command(BaseCommand):
    help = "用 gunicorn 启动系统（默认 http://127.0.0.1:8000），并启动后台任务进程（huey）"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("HUITOUKAN_BIND", "127.0.0.1:8000"))
        # 2 sync workers beat 4 on 2 cores (measured, see DESIGN.md).
        parser.add_argument("--workers", type=int, default=int(os.environ.get("HUITOUKAN_WORKERS", "2")))
        parser.add_argument("--no-jobs", action="store_true",
                            help="不启动后台任务进程（另行运行 huitoukan run_huey 时）")

    def handle(self, *args, **options):
        call_command("check", databases=["default"])
        # The security log's head is anchored before anything is served; the consumer below keeps
        # anchoring it (audit.tasks). With --no-jobs, the consumer run elsewhere does.
        security_log_anchor_if_moved()
        server_argv = [
            sys.executable, "-m", "gunicorn", "huitoukan.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--no-control-socket",
            "--access-logfile", "-",
            # The access log masks the survey invitations' tokens in paths and referrers.
            "--logger-class", "huitoukan.core.serverlog.MaskingLogger",
        ]
        self.stdout.write(f"回头看 正在启动：http://{options['bind']}/")
        sys.stdout.flush()
        if options["no_jobs"]:
            os.execv(sys.executable, server_argv)
        # Exports, imports and periodic work (stalled-job recovery, the security log's anchors) run in
        # the huey consumer: without it a job would wait in its queue for ever, and the log could be
        # rewound unseen.
        children = [
            subprocess.Popen([sys.executable, "-m", "huitoukan.cli", "run_huey"]),  # settings.HUEY["consumer"]
            subprocess.Popen(server_argv),
        ]

        def stop(signum, frame):
            raise KeyboardInterrupt

        # A SIGTERM to this process (a service manager's stop) stops both, as Ctrl-C does.
        signal.signal(signal.SIGTERM, stop)
        try:
            os.wait()  # the first child to end ends the whole
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(15)
                except subprocess.TimeoutExpired:
                    child.kill()
