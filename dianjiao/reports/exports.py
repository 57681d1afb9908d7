"""A quarterly report as a .docx in the official layout (GB/T 9704-2012, written by
dianjiao.lib.official_docx) and as an .xlsx table."""

from django.utils import timezone
from django.utils.translation import gettext as _

from dianjiao.films.models import Film
from dianjiao.lib import dates
from dianjiao.lib import official_docx as official
from dianjiao.lib.xlsx import COUNT, PERCENT, Formatted, fraction, write_table
from dianjiao.teaching.models import ViewingSession


def figure_rows(report) -> list[tuple[str, str]]:
    f = report.figures or {}
    kinds = dict(ViewingSession.Kind.choices)
    rows = [(_("播放收看场次"), str(f.get("sessions", 0)))]
    for kind, n in sorted((f.get("by_kind") or {}).items()):
        rows.append((_("其中：%(kind)s") % {"kind": kinds.get(kind, kind)}, str(n)))
    rate = f.get("rate")
    sep = _("、")  # a list's separator: ", " in English
    rows += [
        (_("应到人次"), str(f.get("expected", 0))),
        (_("实到人次"), str(f.get("present", 0))),
        (_("到课率（实到/应到）"), "—" if rate is None else f"{rate}%"),
        (_("播放影片"), sep.join(f.get("films") or []) or "—"),
        (
            _("放映重点片的场次：四环完整/全部"),
            f"{f.get('key_complete', 0)}/{f.get('key_sessions', 0)}",
        ),
        (
            _("未播放月份"),
            sep.join(_("%(m)s月") % {"m": m} for m in f.get("months_without") or []) or _("无"),
        ),
    ]
    return rows


def report_docx(report) -> bytes:
    """The report in the official layout (dianjiao.lib.official_docx): the branch's red header
    over the red rule, the title, the narrative and the figures, the next quarter's plan, the
    films wanted, the branch and the date."""
    doc = official.new_document()
    unit = report.village.branch_name or report.village.name
    official.red_rule(official.red_header(doc, unit))
    official.title(
        doc,
        _("%(unit)s%(year)s年第%(quarter)s季度党员电化教育工作报告")
        % {"unit": report.village.name, "year": report.year, "quarter": report.quarter},
    )
    official.heading(doc, _("一、本季度播放收看情况"))
    official.body(doc, report.narrative)
    official.table(doc, figure_rows(report), size=14)
    official.heading(doc, _("二、下季度播放计划"))
    official.body(doc, report.plan)
    if report.film_lines:
        official.heading(doc, _("三、片源需求"))
        films = Film.objects.in_bulk([line["film"] for line in report.film_lines])
        for i, line in enumerate(report.film_lines, start=1):
            film = films.get(line["film"])
            official.paragraph(doc, f"{i}. 《{film.title if film else '—'}》 {line['wanted_on']}")
    day = timezone.localdate(report.submitted_at) if report.submitted_at else dates.today()
    official.signature(doc, unit, day)
    return official.to_bytes(doc)


def figure_cells(report) -> list[tuple[str, object]]:
    """The figures of figure_rows as a spreadsheet keeps them: counts as integers, the rate as a
    fraction in a percent format, the key-film pair as two rows; lists stay text."""
    f = report.figures or {}
    kinds = dict(ViewingSession.Kind.choices)

    def count(n):
        return Formatted(int(n or 0), COUNT)

    rows = [(_("播放收看场次"), count(f.get("sessions")))]
    for kind, n in sorted((f.get("by_kind") or {}).items()):
        rows.append((_("其中：%(kind)s") % {"kind": kinds.get(kind, kind)}, count(n)))
    rate = f.get("rate")
    rows += [
        (_("应到人次"), count(f.get("expected"))),
        (_("实到人次"), count(f.get("present"))),
        (_("到课率（实到/应到）"), None if rate is None else Formatted(fraction(rate), PERCENT)),
        (_("播放影片"), _("、").join(f.get("films") or []) or "—"),
        (_("放映重点片的场次"), count(f.get("key_sessions"))),
        (_("其中：四环完整"), count(f.get("key_complete"))),
        (
            _("未播放月份"),
            _("、").join(_("%(m)s月") % {"m": m} for m in f.get("months_without") or []) or _("无"),
        ),
    ]
    return rows


def report_xlsx(report) -> bytes:
    title = _("%(year)s年第%(quarter)s季度") % {"year": report.year, "quarter": report.quarter}
    return write_table(title, [_("项目"), _("数值")], figure_cells(report))
