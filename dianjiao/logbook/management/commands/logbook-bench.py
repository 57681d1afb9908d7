"""`dianjiao logbook-bench`: data for measuring `verify-logbook`, and the measurement.

    dianjiao logbook-bench make --entries 1000000 --villages 150 --body small
    dianjiao logbook-bench make --entries 6545 --villages 147 --body session
    dianjiao logbook-bench measure [--jobs 2]

`make` appends entries to the chains of its own villages (a county, township and villages named
基准…, created when missing), continuing from each chain's head, round robin over the villages.
Each entry is sealed by the chain code (`chain.seal`: canonical bytes and hash) and inserted with
plain INSERTs in batches (no audit events: verification's audit check is one-sided). `small`
bodies are a line of text; `session` bodies have the shape of a viewing session's (teaching's
`session_summary`), 60 attendance rows, about 8 KB of canonical bytes.

`measure` times, in the same run, the floor (a bare SELECT of every column of the entries in
(village, seq) order, each entry's stored canonical bytes hashed with SHA-256), then the check
itself (`verify_all`, all of it: links, stored bytes, the database's agreement, audit tails,
triggers), then the floor again, and prints wall and CPU times with their ratios (against the
faster floor) and this process's peak RSS. On SQLite the database works inside this process, so
the CPU ratio is the one a busy machine disturbs least. Only for measuring:
it writes nothing but `make`'s entries.
"""

import datetime as dt
import hashlib
import resource
import time
import uuid

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from dianjiao.logbook import chain
from dianjiao.logbook.models import LogbookEntry
from dianjiao.logbook.verify import verify_all

BATCH = 2000


def session_body(n: int, rng_seed: int) -> dict:
    names = ["张建国", "李秀英", "王桂兰", "赵德明", "刘玉珍", "陈志强", "杨淑华", "黄永福"]
    return {
        "session_id": str(uuid.UUID(int=rng_seed)),
        "kind": "regular",
        "point": {"id": 1, "name": "村党员活动室"},
        "held_at": "2026-11-28T12:00:00+00:00",
        "duration_minutes": 90,
        "films": [{"id": 7, "title": "榜样", "key": True}],
        "expected": 60,
        "present": 52,
        "attendance": [
            {
                "member_id": rng_seed * 100 + i,
                "name": names[i % len(names)],
                "expected": True,
                "status": "present" if i % 8 else "absent",
                "reason": "",
                "makes_up_for": None,
            }
            for i in range(n)
        ],
        "guests": [{"name": "驻村第一书记", "note": "列席"}],
        "four_ring": None,
        "notes": "",
        "text": "村党员活动室播放《榜样》，时长90分钟。应到60人，实到52人，到课率86.7%（实到÷应到）。"
        "缺席：" + "、".join(names) + "。",
    }


class Command(BaseCommand):
    help = "为 verify-logbook 生成测量数据（make）并测量其耗时与裸扫描加 SHA-256 之比（measure）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["make", "measure"])
        parser.add_argument("--entries", type=int, default=10000)
        parser.add_argument("--villages", type=int, default=150)
        parser.add_argument("--body", choices=["small", "session"], default="small")
        parser.add_argument("--jobs", type=int, default=1)

    def handle(self, *args, action, **options):
        if action == "make":
            self.make(options["entries"], options["villages"], options["body"])
        else:
            self.measure(options["jobs"])

    def _places(self, n):
        from dianjiao.accounts.models import Role, User
        from dianjiao.orgs.models import County, Township, Village

        county, _ = County.objects.get_or_create(name="基准县")
        township, _ = Township.objects.get_or_create(county=county, name="基准乡")
        villages = list(Village.objects.filter(township=township).order_by("pk"))
        for i in range(len(villages), n):
            villages.append(
                Village.objects.create(
                    township=township,
                    name=f"基准村{i + 1:04d}",
                    branch_name=f"基准村{i + 1:04d}党支部",
                )
            )
        author, _ = User.objects.get_or_create(
            username="logbook-bench", defaults={"role": Role.STATION_ADMIN, "township": township}
        )
        return villages[:n], author

    def make(self, entries: int, n_villages: int, kind: str):
        villages, author = self._places(n_villages)
        heads = {}
        for v in villages:
            head = (
                LogbookEntry.objects.filter(village=v)
                .order_by("-seq")
                .values_list("seq", "hash")
                .first()
            )
            heads[v.pk] = head or (0, chain.GENESIS)
        fields = [f for f in LogbookEntry._meta.concrete_fields]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO logbook_logbookentry ({columns}) VALUES ({marks})"
        start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        step = dt.timedelta(days=3 * 365) / max(entries, 1)
        batch = []
        t0 = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            for i in range(entries):
                v = villages[i % len(villages)]
                seq, prev = heads[v.pk]
                when = start + step * i
                body = (
                    session_body(60, i)
                    if kind == "session"
                    else {"text": f"检查电视机、影碟机：正常（{i}）"}
                )
                entry = LogbookEntry(
                    id=uuid.uuid4(),
                    township_id=v.township_id,
                    village_id=v.pk,
                    seq=seq + 1,
                    kind="session" if kind == "session" else "equipment",
                    title="组织收看《榜样》" if kind == "session" else "设备检查",
                    body=chain.normalise_body(body),
                    occurred_at=when,
                    captured_at=None,
                    received_at=when + dt.timedelta(minutes=5),
                    author_id=author.pk,
                    author_label=str(author),
                    corrects_id=None,
                    reason="",
                    late_exception_id=None,
                    source_model="",
                    source_pk="",
                    prev_hash=prev,
                )
                chain.seal(entry)
                heads[v.pk] = (entry.seq, entry.hash)
                batch.append(
                    [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
                )
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    batch = []
                    if i % 100000 < BATCH:
                        self.stderr.write(f"{i + 1:,} entries, {time.monotonic() - t0:.0f} s")
            if batch:
                cursor.executemany(sql, batch)
        self.stdout.write(f"made {entries:,} entries in {time.monotonic() - t0:.1f} s")

    def measure(self, jobs: int):
        def bare():
            n, size = 0, 0
            sha = hashlib.sha256
            prefix = chain.LEAF_PREFIX
            cursor = connection.chunked_cursor()
            cursor.execute("SELECT * FROM logbook_logbookentry ORDER BY village_id, seq")
            index = [c[0] for c in cursor.description].index("canonical")
            while rows := cursor.fetchmany(BATCH):
                for row in rows:
                    stored = row[index]
                    sha(prefix + stored).hexdigest()
                    n += 1
                    size += len(stored)
            cursor.close()
            return n, size

        def timed_bare():
            with transaction.atomic():
                t, c = time.perf_counter(), time.process_time()
                n, size = bare()
                return time.perf_counter() - t, time.process_time() - c, n, size

        first, cpu1, n, size = timed_bare()
        t, c = time.perf_counter(), time.process_time()
        result = verify_all(jobs=jobs)
        took, cpu = time.perf_counter() - t, time.process_time() - c
        second, cpu2, _n, _size = timed_bare()
        floor, cpu_floor = min(first, second), min(cpu1, cpu2)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"{connection.vendor}: {n:,} entries, {size / n if n else 0:,.0f} canonical bytes each;"
            f" bare scan + SHA-256 {first:.2f} s before, {second:.2f} s after; verify (jobs={jobs}) {took:.2f} s"
            f" = {took / floor if floor else 0:.2f}x the faster bare scan; ok={result.ok}"
            f" recomputed={result.recomputed}; peak RSS {rss:.0f} MB\n"
            f"  CPU time of this process (with SQLite, the database's work too): bare"
            f" {cpu1:.2f} s / {cpu2:.2f} s, verify {cpu:.2f} s"
            f" = {cpu / cpu_floor if cpu_floor else 0:.2f}x"
        )
        if not result.ok:
            self.stdout.write(result.problem.describe())
