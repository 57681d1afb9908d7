"""`dianjiao bench-import`: time a roster import of a generated file on the current database,
beside the bare INSERT of the same rows, and leave the database as it was.

The file is a realistic 党员花名册 (members.roster_sample) over the villages of the first station
administrator's township. The import goes through the pages a person uses, as that person:
upload (read and keep the rows), the preview page (validate every row, render), the
confirmation (validate again, save) and the page it leads to. Then the same rows are written by
one bare executemany INSERT, timed in the same run. Everything runs in one transaction that is
rolled back at the end, so the database is unchanged (the commit itself is not timed).
"""

import datetime as dt
import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dianjiao.accounts.models import Role, User
from dianjiao.members.models import Member, RosterImport
from dianjiao.members.roster_sample import sample_roster
from dianjiao.orgs.models import ViewingPoint, Village


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "测量花名册导入（生成的文件）的耗时，并与同样行数的裸 INSERT 对比；不改变数据库"

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, rows, seed, **options):
        user = User.objects.filter(role=Role.STATION_ADMIN, is_active=True).first()
        if user is None:
            raise CommandError("数据库中没有电教站管理员账号，请先运行 dianjiao demo")
        villages = list(Village.objects.filter(township=user.township_id).order_by("pk"))
        points: dict[int, list[str]] = {}
        for p in ViewingPoint.objects.filter(village__in=villages, active=True):
            points.setdefault(p.village_id, []).append(p.name)
        content = sample_roster(
            [(v.name, points.get(v.pk, [])) for v in villages], rows, seed=seed, area="659999"
        )
        self.stdout.write(
            f"{rows} rows, {len(content) / 1e6:.2f} MB .xlsx, {len(villages)} villages, "
            f"{Member.objects.count()} members already, {connection.vendor}, "
            f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        times: dict[str, tuple[float, int]] = {}
        cpu: dict[str, float] = {}

        def step(label, call, status):
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = call()
                times[label] = (time.perf_counter() - started, len(queries))
                cpu[label] = time.process_time() - started_cpu
            if response.status_code != status:
                raise CommandError(f"{label}: HTTP {response.status_code}")
            return response

        try:
            with transaction.atomic():
                started_cpu = time.process_time()
                times["bare INSERT"] = (self._bare_insert(villages, rows), 1)
                bare_cpu = time.process_time() - started_cpu
                raise _Rollback
        except _Rollback:
            pass
        try:
            with transaction.atomic():
                content_file = _upload(content)
                step(
                    "upload",
                    lambda: client.post(reverse("members:import"), {"file": content_file}),
                    302,
                )
                batch = RosterImport.objects.filter(uploaded_by=user).latest("pk")
                url = reverse("members:import_preview", args=[batch.pk])
                step("preview page", lambda: client.get(url), 200)
                step("confirm", lambda: client.post(url, {"action": "apply"}), 302)
                step("result page", lambda: client.get(url), 200)
                batch.refresh_from_db()
                if batch.result.get("created", 0) + batch.result.get("updated", 0) != rows:
                    raise CommandError(f"not every row was saved: {batch.result}")
                raise _Rollback
        except _Rollback:
            pass
        bare = times.pop("bare INSERT")[0]
        total = sum(t for t, _q in times.values())
        # CPU seconds of this process (the pages' Python, and SQLite, which runs inside it): on a
        # busy machine, closer to what the same step takes on an idle one than the wall time.
        self.stdout.write(f"{'step':16} {'seconds':>8} {'CPU s':>8} {'queries':>8}")
        for label, (seconds, queries) in times.items():
            self.stdout.write(f"{label:16} {seconds:8.2f} {cpu[label]:8.2f} {queries:8d}")
        self.stdout.write(f"{'import, total':16} {total:8.2f} {sum(cpu.values()):8.2f}")
        self.stdout.write(f"{'bare INSERT':16} {bare:8.2f} {bare_cpu:8.2f} {1:8d}")
        apply = times["confirm"][0]
        self.stdout.write(
            f"ratio (wall): whole import {total / bare:.0f}× the bare INSERT, confirmation alone "
            f"{apply / bare:.0f}×"
        )
        if bare_cpu > 0:
            self.stdout.write(
                f"ratio (CPU): whole import {sum(cpu.values()) / bare_cpu:.0f}×, confirmation "
                f"alone {cpu['confirm'] / bare_cpu:.0f}×"
            )

    def _bare_insert(self, villages, rows: int) -> float:
        """The rows' member columns, written by one executemany INSERT (the floor)."""
        today = dt.date.today()
        values = [
            (
                villages[i % len(villages)].township_id,
                villages[i % len(villages)].pk,
                None,
                f"成员{i}",
                f"chengyuan{i}",
                f"cy{i}",
                "M",
                "汉族",
                dt.date(1970, 1, 1),
                f"BARE{i:014d}",
                "13800000000",
                "full",
                dt.date(2000, 7, 1),
                "resident",
                True,
                today,
                None,
                "",
                dt.datetime.now(dt.UTC),
                dt.datetime.now(dt.UTC),
            )
            for i in range(rows)
        ]
        columns = (
            "township_id, village_id, point_id, name, name_pinyin, name_initials, gender, "
            "ethnicity, birth_date, id_number, phone, category, joined_on, mobility, active, "
            "on_roster_since, left_on, left_reason, created_at, updated_at"
        )
        sql = f"INSERT INTO members_member ({columns}) VALUES ({', '.join(['%s'] * 20)})"
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.executemany(sql, values)
            return time.perf_counter() - started


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "党员花名册.xlsx",
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
