"""`dianjiao bench`: time the pages people use most, on the current database.

Prints, per page, the median wall time over N requests and the number of SQL queries, so a
change that adds an N+1 or a slow query shows up as a number. Run it on the demo township
(`dianjiao demo`) or a copy of a real station's database.
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dianjiao.accounts.models import Role, User

PAGES = [
    "/",
    "/villages/",
    "/coverage/",
    "/members/",
    "/members/?q=zh",
    "/members/?page=5",
    "/teaching/",
    "/logbook/",
    "/films/",
    "/info/",
    "/reports/",
    "/plan/",
    "/plan/workplans/",
    "/oversight/",
    "/oversight/inspections/",
    "/oversight/rectifications/",
    "/oversight/bulletins/",
]


class Command(BaseCommand):
    help = "测量常用页面的响应时间和查询次数"

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=10)
        parser.add_argument(
            "--path", action="append", help="measure this path instead (repeatable)"
        )

    def handle(self, *args, repeat, path, **options):
        user = User.objects.filter(role=Role.STATION_ADMIN, is_active=True).first()
        if user is None:
            raise CommandError("数据库中没有电教站管理员账号，请先运行 dianjiao demo")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        self.stdout.write(f"{'page':32} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        for page in path or PAGES:
            times = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(page)
                    times.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{page}: HTTP {response.status_code}")
            self.stdout.write(
                f"{page:32} {statistics.median(times):10.1f} {max(times):8.1f} {len(queries):8d}"
            )
