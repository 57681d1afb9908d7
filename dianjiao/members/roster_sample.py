"""A realistic 党员花名册 of any length, as .xlsx bytes: for measuring the import (`dianjiao
bench-import`) and for the test that imports 10,000 rows.

It looks like the rosters townships keep: a title row above the header, Han names and Kazakh
names joined by assorted dots (and a space inside some Chinese names), 民族 written with and
without 族, dates as real dates and as text, a few births as year and month only, ID numbers and
phones as text, 党支部 written with and without 党支部, some rows without a point (the village's
only or default point is then used), and a totals row and a signature row under the members.
Every row is valid for the villages and points it is given, so the whole file imports.
"""

import datetime as dt
import io
import random
from collections.abc import Sequence

from openpyxl import Workbook

from dianjiao.lib import idcard

from . import roster_xlsx as rx

HEADERS = [c.header for c in rx.COLUMNS]
_HAN_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_HAN_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海燕文斌俊峰"
_KAZAKH = [
    "努尔兰",
    "叶尔肯",
    "阿合买提",
    "哈力木",
    "别克",
    "加尔肯",
    "木拉提",
    "阿依古丽",
    "古丽娜尔",
    "巴合提",
    "塔斯肯",
    "沙吾列",
]
_DOTS = ["·", "·", "·", "•", ".", "・"]  # what rosters type for the middle dot
_ETHNICITIES = [("汉族", 55), ("哈萨克族", 25), ("哈萨克", 8), ("回族", 7), ("蒙古族", 5)]


def sample_roster(
    villages: Sequence[tuple[str, Sequence[str]]],
    rows: int,
    *,
    seed: int = 1,
    area: str = "654324",
    title: str = "党员花名册",
) -> bytes:
    """`rows` members spread over `villages` — (village name, names of its points in use) — with
    ID numbers of `area` that are unique within the file."""
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.append([title])
    ws.append(HEADERS)
    taken: set[str] = set()
    for seq in range(1, rows + 1):
        ws.append(_row(rng, seq, villages, taken, area))
    ws.append([f"合计 {rows}人"])
    ws.append(["填表人：", None, "审核人："])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(rng: random.Random, seq: int, villages, taken: set[str], area: str) -> list:
    male = rng.random() < 0.6
    ethnicity = rng.choices([e for e, _w in _ETHNICITIES], [w for _e, w in _ETHNICITIES])[0]
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(365 * 60))
    while True:
        ident = idcard.make(area, birth, rng.randrange(500) * 2 + (1 if male else 0))
        if ident not in taken:
            taken.add(ident)
            break
        birth += dt.timedelta(days=1)
    joined = birth + dt.timedelta(days=365 * 18 + 30 + rng.randrange(365 * 20))
    joined = min(joined, dt.date(2024, 7, 1))
    village, points = villages[rng.randrange(len(villages))]
    if ethnicity.startswith("汉") or ethnicity == "回族":
        name = rng.choice(_HAN_SURNAMES) + "".join(rng.sample(_HAN_GIVEN, rng.choice((1, 2))))
        if rng.random() < 0.03:
            name = f"{name[0]} {name[1:]}"  # 张 伟: one form once normalised
    else:
        first, father = rng.sample(_KAZAKH, 2)
        name = f"{first}{rng.choice(_DOTS)}{father}"
    shape = rng.random()
    if shape < 0.85:
        birth_cell = birth  # a real date
    elif shape < 0.95:
        birth_cell = f"{birth:%Y.%m.%d}"
    else:
        birth_cell = f"{birth:%Y.%m}"  # 出生年月: the day comes from the ID number
    return [
        seq,
        name,
        "男" if male else "女",
        ethnicity,
        birth_cell,
        ident,
        f"13{rng.randrange(10**9):09d}" if rng.random() < 0.9 else None,
        village if rng.random() < 0.7 else f"{village}党支部",
        "正式党员" if rng.random() < 0.95 else "预备党员",
        joined if rng.random() < 0.9 else f"{joined:%Y年%-m月%-d日}",
        rng.choices(["常住", "牧业转场", "流动党员"], [80, 15, 5])[0],
        rng.choice(points) if points and rng.random() < 0.8 else None,
        "在册",
    ]
