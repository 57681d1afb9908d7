"""The campaign ledger as .xlsx: the figures, then the sessions behind them.

Whatever a user typed (names, notes) is written as text, never as a formula: openpyxl would
otherwise store "=HYPERLINK(…)" typed into a point's name as a live formula."""

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment

from dianjiao.lib.xlsx import BORDER, HEAD_FILL, HEAD_FONT, finish, new_sheet, text_width

from .selectors import Ledger


def _put(ws, row: list) -> None:
    ws.append(row)
    for cell in ws[ws.max_row]:
        cell.border = BORDER
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, even when it starts with "="


def _widths(ws) -> None:
    for column in ws.columns:
        width = max(text_width(c.value) for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(50, width + 2)


def ledger_xlsx(ledger: Ledger, sessions) -> bytes:
    c = ledger.campaign
    headers = [
        _("层级"),
        _("名称"),
        _("场次"),
        _("授课（小时）"),
        _("播放（小时）"),
        _("合计（小时）"),
        _("目标学时"),
        _("是否达标"),
    ]
    wb, ws = new_sheet(_("流动教学台账"), headers)

    def line(level, name, hours, met):
        _put(
            ws,
            [
                level,
                name,
                hours.sessions,
                hours.teaching_hours,
                hours.viewing_hours,
                hours.total_hours,
                ledger.target_hours,
                _("达标") if met else _("未达标"),
            ],
        )

    line(_("活动"), c.name, ledger.total, ledger.met)
    for r in ledger.points:
        line(_("牧业点"), r.obj.name, r.hours, r.met)
    for r in ledger.villages:
        line(_("牧业村"), r.obj.name, r.hours, r.met)
    count = 1 + len(ledger.points) + len(ledger.villages)
    _widths(ws)

    detail = wb.create_sheet(_("场次明细")[:31])
    detail_headers = [
        _("收看时间"),
        _("录入时间（设备）"),
        _("村"),
        _("播放点"),
        _("影片"),
        _("授课（分钟）"),
        _("播放（分钟）"),
        _("合计（分钟）"),
        _("记录人"),
        _("备注"),
    ]
    detail.append(detail_headers)
    for cell in detail[1]:
        cell.font, cell.fill, cell.border = HEAD_FONT, HEAD_FILL, BORDER
        cell.alignment = Alignment(horizontal="center")
    for s in sessions:
        _put(
            detail,
            [
                timezone.localtime(s.held_at).replace(tzinfo=None),
                timezone.localtime(s.captured_at).replace(tzinfo=None) if s.captured_at else "",
                s.village.name,
                s.point.name,
                "".join(f"《{f.title}》" for f in s.films.all()),
                s.teaching_minutes,
                s.viewing_minutes,
                s.duration_minutes,
                str(s.operator),
                s.notes,
            ],
        )
        for cell in detail[detail.max_row][:2]:
            cell.number_format = "yyyy-mm-dd hh:mm"
    _widths(detail)
    detail.freeze_panes = "A2"
    return finish(wb, ws, columns=len(headers), rows=count)
