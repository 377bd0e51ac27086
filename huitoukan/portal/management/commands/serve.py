import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用 gunicorn 启动系统（默认 http://127.0.0.1:8000）"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("HUITOUKAN_BIND", "127.0.0.1:8000"))
        # 2 sync workers beat 4 on 2 cores (measured, see DESIGN.md).
        parser.add_argument("--workers", type=int, default=int(os.environ.get("HUITOUKAN_WORKERS", "2")))

    def handle(self, *args, **options):
        call_command("check", databases=["default"])
        argv = [
            sys.executable, "-m", "gunicorn", "huitoukan.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--no-control-socket",
            "--access-logfile", "-",
        ]
        self.stdout.write(f"回头看 正在启动：http://{options['bind']}/")
        sys.stdout.flush()
        os.execv(sys.executable, argv)
