"""`dianjiao bench`: how fast the pages and jobs people use are, on the current database, beside
the bare SQL that computes the same figures, timed in the same run.

For each main page, as the township's station and as the county viewer: the median wall time
over N requests after one warm-up (in-process, through every middleware, gzip accepted as a
browser does), the number of SQL statements, the response size, the median time of one bare SQL
statement that reads the same figures (the floor: what the database itself needs), and the ratio
of the two. Then the jobs: the compliance .xlsx and the member export (both roles),
`verify-logbook` (beside a bare scan of the entries with SHA-256 of each row), and a roster
import of 10,000 rows (upload, preview, apply; beside a bare INSERT of the same rows; rolled
back, so the database is left as it was). The first lines state the data measured and how busy
the machine was: on a shared machine compare the ratios, not the milliseconds.

It writes a login session for each role; nothing else stays. Run it on a copy of a real
database, or on `dianjiao demo` (`--scale county` where the demo offers it).
"""

import datetime as dt
import hashlib
import io
import os
import platform
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client

from dianjiao.accounts.models import Role, User
from dianjiao.lib import dates
from dianjiao.orgs.models import Township

# path, the floor's name (FLOORS below)
PAGES = [
    ("/", "home"),
    ("/villages/", "villages"),
    ("/coverage/", "villages"),
    ("/members/", "members"),
    ("/members/?q=zh", "members_q"),
    ("/members/?page=5", "members_p5"),
    ("/teaching/", "sessions"),
    ("/logbook/", "logbook"),
    ("/films/", "films"),
    ("/info/", "info"),
    ("/reports/", "reports"),
    ("/plan/", "compliance"),
    ("/plan/workplans/", "workplans"),
    ("/oversight/", "inspections_year"),
    ("/oversight/inspections/", "inspections"),
    ("/oversight/rectifications/", "rectifications"),
    ("/oversight/bulletins/", "bulletins"),
]
EXPORTS = [
    ("compliance .xlsx", "/plan/export/?table=matrix", "compliance"),
    ("member export .xlsx", "/members/export.xlsx", "members_all"),
]

_PRESENT = "SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END)"
_EXPECTED = "SUM(CASE WHEN a.expected THEN 1 ELSE 0 END)"
# One statement each, reading what the page shows: its rows (a page of them) with their figures
# and the total it counts. {s} is "<alias>.township_id IN (…)", the user's townships; {month}
# the month of s.held_at in this database's dialect; %(…)s the year's bounds.
FLOORS = {
    "home": """
        SELECT v.id, v.name,
          (SELECT COUNT(*) FROM members_member m WHERE m.village_id = v.id AND m.active),
          (SELECT COUNT(*) FROM teaching_viewingsession s
            WHERE s.village_id = v.id AND s.held_at >= %(month)s),
          (SELECT COUNT(*) FROM infoitems_infoitem i
            WHERE i.village_id = v.id AND i.sent_at >= %(month)s)
        FROM orgs_village v WHERE {s:v} ORDER BY v.sort_order, v.name""",
    "villages": """
        SELECT v.id, v.name,
          (SELECT COUNT(*) FROM members_member m WHERE m.village_id = v.id AND m.active),
          (SELECT COUNT(*) FROM members_member m
            WHERE m.village_id = v.id AND m.active AND m.point_id IS NULL),
          (SELECT COUNT(*) FROM orgs_viewingpoint p WHERE p.village_id = v.id AND p.active)
        FROM orgs_village v WHERE {s:v} ORDER BY v.sort_order, v.name""",
    "members": """
        SELECT m.id, m.name, m.id_number, m.phone, v.name, p.name,
          (SELECT COUNT(*) FROM members_member c WHERE {s:c})
        FROM members_member m JOIN orgs_village v ON v.id = m.village_id
          LEFT JOIN orgs_viewingpoint p ON p.id = m.point_id
        WHERE {s:m} ORDER BY v.sort_order, v.name, m.name_pinyin, m.id LIMIT 30""",
    "members_q": """
        SELECT m.id, m.name, m.id_number, m.phone, v.name, p.name,
          (SELECT COUNT(*) FROM members_member c WHERE {s:c} AND c.name_pinyin LIKE 'zh%%')
        FROM members_member m JOIN orgs_village v ON v.id = m.village_id
          LEFT JOIN orgs_viewingpoint p ON p.id = m.point_id
        WHERE {s:m} AND m.name_pinyin LIKE 'zh%%'
        ORDER BY v.sort_order, v.name, m.name_pinyin, m.id LIMIT 30""",
    "members_p5": """
        SELECT m.id, m.name, m.id_number, m.phone, v.name, p.name,
          (SELECT COUNT(*) FROM members_member c WHERE {s:c})
        FROM members_member m JOIN orgs_village v ON v.id = m.village_id
          LEFT JOIN orgs_viewingpoint p ON p.id = m.point_id
        WHERE {s:m} ORDER BY v.sort_order, v.name, m.name_pinyin, m.id LIMIT 30 OFFSET 120""",
    "members_all": """
        SELECT m.*, v.name, p.name
        FROM members_member m JOIN orgs_village v ON v.id = m.village_id
          LEFT JOIN orgs_viewingpoint p ON p.id = m.point_id
        WHERE {s:m} ORDER BY v.sort_order, v.name, m.name_pinyin, m.id""",
    # The page of 20 chosen by order first, its figures computed for those rows only.
    "sessions": f"""
        SELECT s.id, s.held_at, s.kind, v.name,
          (SELECT {_EXPECTED} FROM teaching_attendance a WHERE a.session_id = s.id),
          (SELECT {_PRESENT} FROM teaching_attendance a WHERE a.session_id = s.id),
          (SELECT COUNT(*) FROM teaching_viewingsession c WHERE {{s:c}})
        FROM teaching_viewingsession s JOIN orgs_village v ON v.id = s.village_id
        WHERE s.id IN (SELECT p.id FROM teaching_viewingsession p WHERE {{s:p}}
                       ORDER BY p.held_at DESC, p.id LIMIT 20)
        ORDER BY s.held_at DESC, s.id""",
    # The book of the first village in scope, this month, in chain order.
    "logbook": """
        SELECT e.id, e.seq, e.kind, e.title, e.occurred_at, e.author_label,
          (SELECT COUNT(*) FROM logbook_logbookentry c
            WHERE c.village_id = e.village_id AND c.occurred_at >= %(month)s)
        FROM logbook_logbookentry e
        WHERE e.village_id = (SELECT v.id FROM orgs_village v WHERE {s:v}
                              ORDER BY v.township_id, v.sort_order, v.name LIMIT 1)
          AND e.occurred_at >= %(month)s
        ORDER BY e.seq LIMIT 30""",
    "films": """
        SELECT f.id, f.title, f.series, f.duration_minutes,
          (SELECT COUNT(*) FROM films_filmcopy c WHERE c.film_id = f.id),
          (SELECT COUNT(*) FROM films_filmcopy c WHERE c.film_id = f.id AND c.status = 'shelf'),
          (SELECT COUNT(*) FROM films_film c WHERE {s:c})
        FROM films_film f WHERE {s:f} ORDER BY f.series, f.title, f.id LIMIT 30""",
    "info": """
        SELECT i.id, i.title, i.status, i.sent_at, v.name,
          (SELECT COUNT(*) FROM infoitems_infoitem c WHERE {s:c})
        FROM infoitems_infoitem i JOIN orgs_village v ON v.id = i.village_id
        WHERE {s:i} ORDER BY i.sent_at DESC, i.id DESC LIMIT 30""",
    "reports": """
        SELECT r.id, r.year, r.quarter, r.status, v.name,
          (SELECT COUNT(*) FROM reports_quarterlyreport c
            JOIN orgs_village cv ON cv.id = c.village_id WHERE {s:cv})
        FROM reports_quarterlyreport r JOIN orgs_village v ON v.id = r.village_id
        WHERE {s:v} ORDER BY r.year DESC, r.quarter DESC, v.sort_order LIMIT 30""",
    "compliance": f"""
        SELECT s.village_id, {{month}}, COUNT(DISTINCT s.id), {_PRESENT}, {_EXPECTED}
        FROM teaching_viewingsession s LEFT JOIN teaching_attendance a ON a.session_id = s.id
        WHERE {{s:s}} AND s.held_at >= %(start)s AND s.held_at < %(end)s
        GROUP BY s.village_id, {{month}}""",
    "workplans": """
        SELECT v.id, v.name, w.version, w.submitted_at
        FROM orgs_village v
          LEFT JOIN planning_villageworkplan w ON w.village_id = v.id AND w.year = %(year)s
        WHERE {s:v} ORDER BY v.sort_order, v.name, w.version""",
    "inspections_year": """
        SELECT i.village_id, i.kind, COUNT(*), SUM(i.score)
        FROM oversight_inspection i
        WHERE {s:i} AND i.inspected_on >= %(first)s AND i.inspected_on < %(next_first)s
        GROUP BY i.village_id, i.kind""",
    "inspections": """
        SELECT i.id, i.kind, i.inspected_on, i.score, i.max_score, v.name,
          (SELECT COUNT(*) FROM oversight_inspection c WHERE {s:c})
        FROM oversight_inspection i JOIN orgs_village v ON v.id = i.village_id
        WHERE {s:i} ORDER BY i.inspected_on DESC, i.id DESC LIMIT 30""",
    "rectifications": """
        SELECT r.id, r.problem, r.due_on, r.status, v.name,
          (SELECT COUNT(*) FROM oversight_rectification c WHERE {s:c})
        FROM oversight_rectification r JOIN orgs_village v ON v.id = r.village_id
        WHERE {s:r} ORDER BY r.due_on, r.id LIMIT 30""",
    "bulletins": """
        SELECT b.id, b.year, b.number, b.title, b.status
        FROM oversight_bulletin b WHERE {s:b} ORDER BY b.year DESC, b.id DESC LIMIT 30""",
}
MONTH = {
    "sqlite": "CAST(strftime('%%m', s.held_at) AS INTEGER)",
    "postgresql": "EXTRACT(MONTH FROM s.held_at)",
}
ROSTER_HEADER = ["序号", "姓名", "性别", "民族", "出生日期", "身份证号", "联系电话"]
ROSTER_HEADER += ["所在党支部", "党员类别", "入党时间", "流动情况", "收看播放点", "状态"]


class _Scope:
    """Formats {s:alias} as "alias.township_id IN (…)"."""

    def __init__(self, township_ids):
        self.ids = ", ".join(str(int(i)) for i in township_ids) or "NULL"

    def __format__(self, alias):
        return f"{alias}.township_id IN ({self.ids})"


@dataclass
class Row:
    what: str
    who: str
    ms: float | None = None
    cpu_ms: float | None = None
    runs: int = 0
    queries: int | None = None
    size: int | None = None
    floor_ms: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self):
        if self.ms is None or not self.floor_ms:
            return None
        return self.ms / self.floor_ms


class _Counter:
    """Counts statements through connection.execute_wrapper: cheaper than capturing them."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def _timed(fn: Callable, runs: int, warmup: int = 1) -> tuple[list[float], int, object]:
    """fn() `warmup` times, then `runs` times timed; the last result and its statement count.
    The CPU time of each run (this process's, all its threads) goes to _timed.cpu: on a busy
    machine the wall time includes the wait for a CPU, the CPU time does not."""
    for _ in range(warmup):
        fn()
    times, counter, result = [], _Counter(), None
    _timed.cpu = []
    for _ in range(runs):
        counter.n = 0
        with connection.execute_wrapper(counter):
            cpu, start = time.process_time(), time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - start) * 1000)
            _timed.cpu.append((time.process_time() - cpu) * 1000)
    return times, counter.n, result


@contextmanager
def _rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class Command(BaseCommand):
    help = "测量主要页面和任务的耗时，并与同一轮计时的单条 SQL 对比（见 docs/performance.md）"

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=10, help="timed runs per page")
        parser.add_argument("--job-repeat", type=int, default=3, help="timed runs per job")
        parser.add_argument(
            "--path", action="append", help="measure this path instead of the pages (repeatable)"
        )
        parser.add_argument(
            "--import-rows", type=int, default=10000, help="rows of the roster import (0: skip)"
        )
        parser.add_argument("--no-jobs", action="store_true", help="pages only")

    def handle(self, *args, repeat, job_repeat, path, import_rows, no_jobs, **options):
        station = (
            User.objects.filter(role=Role.STATION_ADMIN, is_active=True).order_by("pk").first()
        )
        if station is None:
            raise CommandError("数据库中没有电教站管理员账号，请先运行 dianjiao demo")
        viewer = (
            User.objects.filter(role=Role.COUNTY_VIEWER, is_active=True, county__isnull=False)
            .order_by("pk")
            .first()
        )
        self.vendor = connection.vendor
        self.load_before = os.getloadavg()
        self._describe(station, viewer)

        people = [("station", station)] + ([("county", viewer)] if viewer else [])
        clients = {who: self._client(user) for who, user in people}
        scopes = {who: _Scope(self._townships(user)) for who, user in people}
        params = self._params()

        # Each row as soon as it is measured: a county-scale run takes minutes.
        self._header()
        pages = [(p, None) for p in path] if path else PAGES
        for page, floor in pages:
            for who, _user in people:
                self._row(self._page(page, floor, who, clients[who], scopes[who], params, repeat))
        if not no_jobs:
            for what, url, floor in EXPORTS:
                for who, _user in people:
                    self._row(
                        self._page(
                            url, floor, who, clients[who], scopes[who], params, job_repeat, what
                        )
                    )
            self._row(self._verify(job_repeat))
            if import_rows:
                self._row(self._import(station, import_rows, job_repeat))
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        self.stdout.write(f"\nload average after: {load}")

    # --- the data and the machine ----------------------------------------------------------

    def _describe(self, station, viewer):
        def count(table):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (our own names)
                return cursor.fetchone()[0]

        sizes = {
            "townships": count("orgs_township"),
            "villages": count("orgs_village"),
            "members": count("members_member"),
            "sessions": count("teaching_viewingsession"),
            "attendance rows": count("teaching_attendance"),
            "logbook entries": count("logbook_logbookentry"),
        }
        self.stdout.write("data: " + ", ".join(f"{n:,} {what}" for what, n in sizes.items()))
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute("SELECT sqlite_version()")
                db = f"SQLite {cursor.fetchone()[0]}, {connection.settings_dict['NAME']}"
            else:
                cursor.execute("SHOW server_version")
                db = f"{connection.display_name} {cursor.fetchone()[0]}"
        self.stdout.write(f"database: {db}")
        self.stdout.write(
            f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"load average before: {', '.join(f'{x:.2f}' for x in self.load_before)}"
        )
        self.stdout.write(
            f"as: station = {station.username} ({station.scope_node}); county viewer = "
            + (f"{viewer.username} ({viewer.scope_node})" if viewer else "none in this database")
        )

    def _client(self, user):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    def _townships(self, user):
        if user.role == Role.COUNTY_VIEWER:
            return list(Township.objects.filter(county=user.county_id).values_list("pk", flat=True))
        return [user.township_id]

    def _params(self):
        today = dates.today()
        tz = dates.now().tzinfo

        def start_of(y, m=1):
            return dt.datetime(y, m, 1, tzinfo=tz)

        return {
            "start": start_of(today.year),
            "end": start_of(today.year + 1),
            "month": start_of(today.year, today.month),
            "year": today.year,
            "first": dt.date(today.year, 1, 1),
            "next_first": dt.date(today.year + 1, 1, 1),
        }

    # --- measuring -------------------------------------------------------------------------

    def _floor(self, name, scope, params, runs):
        if name is None:
            return None, ""
        sql = FLOORS[name].format(s=scope, month=MONTH.get(self.vendor, MONTH["postgresql"]))
        used = {k: v for k, v in params.items() if f"%({k})s" in sql}

        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, used)
                return cursor.fetchall()

        try:
            times, _n, _rows = _timed(run, runs)
        except Exception as exc:  # a table renamed by a later change: say so, measure the rest
            return None, f"floor failed: {type(exc).__name__}: {str(exc)[:80]}"
        return statistics.median(times), ""

    def _page(self, url, floor, who, client, scope, params, runs, what=None):
        row = Row(what or url, who, runs=runs)

        def get():
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            return response.status_code, len(body)

        try:
            times, row.queries, (status, row.size) = _timed(get, runs)
        except Exception as exc:
            row.note = f"failed: {type(exc).__name__}: {str(exc)[:80]}"
            return row
        if status != 200:
            row.note = f"HTTP {status}"
            return row
        row.ms, row.cpu_ms = statistics.median(times), statistics.median(_timed.cpu)
        row.floor_ms, note = self._floor(floor, scope, params, runs)
        row.note = note
        return row

    def _verify(self, runs):
        row = Row("verify-logbook", "-", runs=runs)

        def verify():
            out, err = io.StringIO(), io.StringIO()
            try:
                call_command("verify-logbook", stdout=out, stderr=err)
            except CommandError as exc:
                return f"failed: {exc}"
            return ""

        times, row.queries, row.note = _timed(verify, runs)
        row.ms, row.cpu_ms = statistics.median(times), statistics.median(_timed.cpu)

        def scan_and_hash():
            # The stored bytes of every entry, read in the chain's order and hashed row by row.
            n = 0
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM logbook_logbookentry ORDER BY village_id, seq")
                while batch := cursor.fetchmany(2000):
                    for entry in batch:
                        hashlib.sha256("\x1f".join(map(str, entry)).encode()).digest()
                        n += 1
            return n

        floor_times, _n, _count = _timed(scan_and_hash, runs)
        row.floor_ms = statistics.median(floor_times)
        row.note = row.note or "floor: scan + SHA-256 of every entry"
        return row

    def _import(self, station, n, runs):
        from dianjiao.members import services
        from dianjiao.members.models import Member

        row = Row(f"roster import, {n:,} rows", "station", runs=runs)
        content, members = self._roster(station, n)
        phases = {"upload": [], "preview": [], "apply": []}

        def once():
            with _rolled_back():
                upload = SimpleUploadedFile(
                    "花名册.xlsx",
                    content,
                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
                t0 = time.perf_counter()
                batch = services.roster_import_upload(user=station, file=upload)
                t1 = time.perf_counter()
                preview = services.roster_import_review(user=station, batch=batch)
                t2 = time.perf_counter()
                if not preview.ok:
                    errors = (preview.file_errors or [""])[0]
                    raise CommandError(f"preview refused: {errors}")
                result = services.roster_import_apply(user=station, batch=batch)
                t3 = time.perf_counter()
                for name, ms in zip(phases, (t1 - t0, t2 - t1, t3 - t2), strict=True):
                    phases[name].append(ms * 1000)
                return result

        try:
            times, row.queries, result = _timed(once, runs)
        except Exception as exc:  # a refusal (too many rows) is a result too
            row.note = f"refused: {str(exc)[:100]}"
            return row
        row.ms, row.cpu_ms = statistics.median(times), statistics.median(_timed.cpu)
        row.note = (
            ", ".join(
                f"{name} {statistics.median(ms[-runs:]):.0f} ms" for name, ms in phases.items()
            )
            + f"; created {result.get('created')}; floor: bare INSERT of the rows"
        )

        fields = [f for f in Member._meta.concrete_fields if not f.primary_key]
        table = Member._meta.db_table
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        values = [
            [f.get_db_prep_save(f.pre_save(m, True), connection) for f in fields] for m in members
        ]

        def bare_insert():
            with _rolled_back(), connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                    values,
                )

        floor_times, _n, _ = _timed(bare_insert, runs)
        row.floor_ms = statistics.median(floor_times)
        return row

    def _roster(self, station, n):
        """n new members for the station's villages, as a roster file and as unsaved models."""
        from openpyxl import Workbook

        from dianjiao.lib import idcard
        from dianjiao.members.models import Member
        from dianjiao.orgs.models import Village

        villages = list(Village.objects.filter(township_id=station.township_id))
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("党员花名册")
        ws.append(ROSTER_HEADER)
        members = []
        taken = set(Member.objects.values_list("id_number", flat=True))
        seq = 0
        for i in range(n):
            village = villages[i % len(villages)]
            birth = dt.date(1950 + i % 50, 1 + i % 12, 1 + i % 28)
            while True:
                seq += 1
                number = idcard.make("659999", birth, seq % 1000)
                if number not in taken:
                    taken.add(number)
                    break
            joined = dt.date(birth.year + 25, 7, 1)
            name = f"测试{i:05d}"
            gender = "M" if int(number[16]) % 2 else "F"  # as the number says
            ws.append(
                [i + 1, name, "男" if gender == "M" else "女", "汉族", birth, number, ""]
                + [village.name, "正式党员", joined, "常住", "", "在册"]
            )
            members.append(
                Member(
                    township_id=village.township_id,
                    village=village,
                    name=name,
                    gender=gender,
                    ethnicity="汉族",
                    birth_date=birth,
                    id_number=number,
                    joined_on=joined,
                    on_roster_since=joined,
                )
            )
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue(), members

    # --- the table -------------------------------------------------------------------------

    def _header(self):
        self.stdout.write("")
        self.stdout.write(
            "| what | as | median ms | CPU ms | runs | queries | KB sent | bare SQL ms | ratio"
            " | note |"
        )
        self.stdout.write("|---|---|--:|--:|--:|--:|--:|--:|--:|---|")

    def _row(self, r):
        def num(x, fmt):
            return "—" if x is None else format(x, fmt)

        self.stdout.write(
            f"| `{r.what}` | {r.who} | {num(r.ms, '.1f')} | {num(r.cpu_ms, '.1f')} | {r.runs}"
            f" | {num(r.queries, 'd')}"
            f" | {num(None if r.size is None else r.size / 1024, '.1f')}"
            f" | {num(r.floor_ms, '.2f')} | {num(r.ratio, '.0f')}{'×' if r.ratio else ''}"
            f" | {r.note} |"
        )
        self.stdout.flush()
