"""`dianjiao serve`: the production WSGI server (waitress) for a station's own PC."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.wsgi import get_wsgi_application
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "用 waitress 提供服务（生产模式）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--remind",
            action="store_true",
            default=settings.DIANJIAO_REMIND_IN_SERVE,
            help="同时每天发送待办提醒（默认关闭；也可设 DIANJIAO_REMIND_IN_SERVE=1）",
        )

    def handle(self, *args, host, port, threads, remind=False, **options):
        from waitress import serve

        from dianjiao.web.staticfiles import collect_if_changed

        # Hashed, compressed static files before the first request (whitenoise indexes them
        # when the application loads).
        collect_if_changed()
        application = get_wsgi_application()

        self.stdout.write(
            _("电教系统已启动：%(url)s  （按 Ctrl+C 停止）") % {"url": f"http://{host}:{port}/"}
        )
        if remind:
            from dianjiao.reminders import scheduler

            scheduler.start()
            self.stdout.write(
                _("每日待办提醒已开启（%(at)s）") % {"at": settings.DIANJIAO_REMIND_AT}
            )
        demo_logins = settings.VAR_DIR / "demo-logins.txt"
        if demo_logins.exists():
            self.stdout.write(demo_logins.read_text())
        serve(application, host=host, port=port, threads=threads, ident="dianjiao")
