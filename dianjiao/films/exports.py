"""The catalogue and the loans as .xlsx (dianjiao.lib.xlsx does the styling)."""

from dianjiao.lib.i18n import record_labels
from dianjiao.lib.xlsx import write_table

from .models import FilmCopy

# The file's own words, not the UI's translations: a spreadsheet is the same whatever the UI language.
CATALOGUE_HEADERS = [
    "序号",
    "片名",
    "系列",
    "出品单位",
    "出品年份",
    "时长（分钟）",
    "教育主题",
    "语种版本",
    "重点片",
    "拷贝数",
    "在站可借",
    "状态",
]
LOAN_HEADERS = [
    "序号",
    "库存编号",
    "片名",
    "介质",
    "借片村",
    "发放时间",
    "发放人",
    "应还日期",
    "签收时间",
    "签收人",
    "归还时间",
    "收回经办人",
    "状态",
    "逾期天数",
    "备注",
]


def catalogue_xlsx(films) -> bytes:
    """`films` from selectors.films_for_list (counts annotated, themes and languages prefetched)."""
    rows = (
        [
            n,
            f.title,
            f.series,
            f.producer,
            f.year,
            f.duration_minutes,
            "、".join(t.name for t in f.themes.all()),
            "、".join(lang.name for lang in f.languages.all()),
            "是" if f.is_key_film else "",
            f.n_copies,
            f.n_on_shelf,
            "在用" if f.active else "停用",
        ]
        for n, f in enumerate(films, start=1)
    )
    return write_table("片库目录", CATALOGUE_HEADERS, rows)


def loan_state(loan) -> str:
    if loan.lost:
        return "借出期间遗失/注销"
    if not loan.is_open:
        return "已归还"
    if loan.is_overdue:
        return "逾期未还"
    return "在借" if loan.received_at else "待签收"


def _who(user) -> str:
    return str(user) if user else ""


def loans_xlsx(loans) -> bytes:
    """`loans` from selectors.loans_for (copy, film, village and the people selected)."""
    media = record_labels(FilmCopy.Medium.choices)
    rows = (
        [
            n,
            loan.copy.inventory_no,
            loan.copy.film.title,
            media.get(loan.copy.medium, loan.copy.medium),
            loan.village.name,
            loan.dispatched_at,
            _who(loan.dispatched_by),
            loan.due_on,
            loan.received_at,
            _who(loan.received_by),
            loan.returned_at,
            _who(loan.returned_to),
            loan_state(loan),
            loan.days_overdue or None,
            loan.return_note or loan.note,
        ]
        for n, loan in enumerate(loans, start=1)
    )
    return write_table("借片记录", LOAN_HEADERS, rows)
