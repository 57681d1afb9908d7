"""`dianjiao run`: what `make run` does, as one command of the installed package, so a station PC
on Windows (no make, no POSIX shell) starts the same way: migrate, the demo township only into
an empty database, then serve and print the address and the demo logins."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "迁移数据库、空库时生成演示数据，然后启动服务（即 make run）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, **options):
        call_command("migrate", interactive=False, stdout=self.stdout, stderr=self.stderr)
        call_command("demo", if_empty=True, stdout=self.stdout, stderr=self.stderr)
        call_command("serve", host=host, port=port, stdout=self.stdout, stderr=self.stderr)
