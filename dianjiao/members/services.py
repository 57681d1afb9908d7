"""Writes to the roster: registering, changing and leaving one member, and importing a
党员花名册 from .xlsx.

Every function is keyword-only and runs in one transaction; a refusal is a ValidationError keyed by
the field it is about, in Chinese, so a form shows it next to that field. Who may write a member:
its village's operator, its township's station, a superuser (`require_village_writer`); read-only
roles may not. The audit trail records every save with its actor. A member is never deleted:
leaving the roster keeps the record, marked with the date and the reason.

The import is two steps. `roster_import_upload` parses the file once, within the bounds of
dianjiao.lib.uploads, and keeps the rows it read as a RosterImport (the file itself is not kept);
`roster_import_review` says, row by row, what would happen and what is wrong; and
`roster_import_apply` re-validates those rows against the database as it is *now* and saves every
row in one transaction, or nothing. Neither opens the file again. Members are matched by ID
number, so importing the same file twice creates no duplicates.

Rules an importer should know (also shown on the upload page):
- a blank cell keeps what the roster already has (the import never erases data); for a new
  member it means the default (汉族, 正式党员, 常住), and 性别/出生日期 are read from the ID
  number. A new member (or one moved to another village) whose 收看播放点 is blank goes to the
  village's only point in use, else to its default point (ViewingPoint.is_default), else to no
  point: the station's to-do list then names them;
- a new member is on the roster from the day the import is confirmed (on_roster_since), so their
  yearly viewing target counts from that month;
- the import registers and updates members on the roster (在册). A row marked 已离册 is accepted
  only when it is a member who already left and nothing in the row changed (so an exported
  file, left members included, re-imports unchanged); leaving the roster is done on the member's
  page, with its date and reason, never by import.
"""

import copy
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dianjiao.accounts.models import User
from dianjiao.accounts.scope import is_station, require_village_writer, require_write
from dianjiao.audit.models import AuditEvent
from dianjiao.audit.recorder import record
from dianjiao.lib import dates, idcard, names, pinyin
from dianjiao.lib.sizes import size_label
from dianjiao.orgs.models import ViewingPoint, Village

from . import roster_xlsx as rx
from .models import Member, RosterImport, RosterImportRow
from .signals import members_moved

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTION_LABELS = {
    CREATE: gettext_lazy("新增"),
    UPDATE: gettext_lazy("更新"),
    UNCHANGED: gettext_lazy("无变化"),
}
# What "unchanged" compares: exactly the member fields the sheet carries.
_COMPARED = [
    ("name", "name"),
    ("gender", "gender"),
    ("ethnicity", "ethnicity"),
    ("birth_date", "birth_date"),
    ("phone", "phone"),
    ("village", "village_id"),
    ("category", "category"),
    ("joined_on", "joined_on"),
    ("mobility", "mobility"),
    ("point", "point_id"),
]
_COLUMN_ORDER = {c.field: i for i, c in enumerate(rx.COLUMNS)}
_PHONE = re.compile(r"^[\d\s+\-()（）/]+$")


class RosterImportError(Exception):
    """The import cannot go on; the message is for the user."""


class RosterImportInvalid(RosterImportError):
    def __init__(self, preview: "ImportPreview"):
        super().__init__(_("花名册中还有错误，未保存任何数据，请改正后重新上传"))
        self.preview = preview


@dataclass
class RowPreview:
    number: int  # the row number Excel shows
    name: str = ""
    id_number: str = ""
    village: str = ""
    point: str = ""
    point_assigned: bool = False  # no point in the row: the village's only or default point
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)
    action: str = ""
    changes: list[str] = field(default_factory=list)  # headers of the columns an update changes
    before: dict[str, Any] = field(default_factory=dict)  # attname -> value an update replaces
    member: Member | None = None  # ready to save when the row is good

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, ""))


@dataclass
class ImportPreview:
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowPreview] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[RowPreview]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not self.bad_rows

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for row in self.rows:
            if row.action:
                counts[row.action] += 1
        return {
            "created": counts[CREATE],
            "updated": counts[UPDATE],
            "unchanged": counts[UNCHANGED],
        }


# --- one member ----------------------------------------------------------------------------

MEMBER_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "village",
    "category",
    "joined_on",
    "mobility",
    "point",
    "on_roster_since",
)


def member_create(
    *,
    user: User,
    village: Village,
    name: str,
    gender: str,
    birth_date: dt.date,
    id_number: str,
    joined_on: dt.date,
    ethnicity: str = "汉族",
    phone: str = "",
    category: str = Member.Category.FULL,
    mobility: str = Member.Mobility.RESIDENT,
    point: ViewingPoint | None = None,
    on_roster_since: dt.date | None = None,
) -> Member:
    """Register a member on `village`'s roster (在册), from `on_roster_since` (today without
    it): their yearly viewing target counts from that month."""
    require_village_writer(user, village)
    member = Member(
        on_roster_since=on_roster_since or dates.today(),
        village=village,
        name=name,
        gender=gender,
        birth_date=birth_date,
        id_number=id_number,
        joined_on=joined_on,
        ethnicity=ethnicity,
        phone=phone,
        category=category,
        mobility=mobility,
        point=point,
        active=True,
    )
    with transaction.atomic():
        _validate_member(member, kept_point_id=None)
        _save_member(member)
    return member


def member_update(*, user: User, member: Member, **changes: Any) -> Member:
    """Change a member's details (`changes` are MEMBER_FIELDS); the audit trail keeps the old ones.

    Moving a member to another village needs the right to write both villages."""
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"member_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        member = _locked(member)
        require_village_writer(user, member.village)
        kept_point_id, old_village_id = member.point_id, member.village_id
        if changes.get("on_roster_since", "") is None:
            del changes["on_roster_since"]  # left blank on the form: kept
        for name, value in changes.items():
            setattr(member, name, value)
        if "village" in changes:
            require_village_writer(user, member.village)
        _validate_member(member, kept_point_id=kept_point_id)
        _save_member(member)
        if member.village_id != old_village_id:
            members_moved.send(Member, moves={member.pk: (old_village_id, member.village_id)})
    return member


def member_leave(
    *, user: User, member: Member, left_on: dt.date | None, left_reason: str
) -> Member:
    """Take a member off the roster (离册). The record stays, with the date and the reason."""
    with transaction.atomic():
        member = _locked(member)
        require_village_writer(user, member.village)
        if not member.active:
            raise ValidationError(_("该党员已离册，不能再次办理离册"))
        member.active = False
        member.left_on = left_on
        member.left_reason = (left_reason or "").strip()
        errors: dict[str, list[str]] = {}
        if not member.left_reason:
            errors["left_reason"] = [_("请填写离册原因")]
        try:
            _validate_member(member, kept_point_id=member.point_id)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        _save_member(member)
    return member


def _locked(member: Member) -> Member:
    """The member as the database has it now, locked until the transaction ends (only the
    member's row: its point is on the nullable side of a join, which FOR UPDATE cannot lock)."""
    return (
        Member.objects.select_for_update(of=("self",))
        .select_related("village", "point")
        .get(pk=member.pk)
    )


def _id_taken_message() -> str:
    return _("该身份证号已登记在花名册中，不能重复登记")


def _validate_member(member: Member, *, kept_point_id: int | None) -> None:
    """full_clean, plus the rules that look at other rows: an ID number is registered once in the
    whole system, and a member is newly placed only at a viewing point in use."""
    errors: dict[str, list[str]] = {}
    member.id_number = idcard.normalise(member.id_number)  # before the field's length is checked
    try:
        # The ID number's uniqueness is checked below, to say it in the roster's words.
        member.full_clean(validate_unique=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if "id_number" not in errors:
        # Unscoped on purpose, as in the import: only "already registered" is said, never where.
        taken = Member.objects.filter(id_number=member.id_number).exclude(pk=member.pk)
        if taken.exists():
            errors["id_number"] = [_id_taken_message()]
    if (
        "point" not in errors
        and member.point_id
        and member.point_id != kept_point_id
        and not member.point.active
    ):
        errors["point"] = [
            _("播放点“%(name)s”已停用，请选择在用的播放点") % {"name": member.point.name}
        ]
    if errors:
        raise ValidationError(errors)


def _save_member(member: Member) -> None:
    try:
        with transaction.atomic():  # a savepoint, so the outer transaction survives the refusal
            member.save()
    except IntegrityError:
        # Registered by someone else between the check and the save.
        raise ValidationError({"id_number": [_id_taken_message()]}) from None


# --- the import ----------------------------------------------------------------------------


def roster_import_upload(*, user, file, filename: str = "") -> RosterImport:
    """Keep an uploaded roster for preview; refuse at once a file that is not a readable roster."""
    require_write(user)
    content = _read_upload(file)
    try:
        sheet = rx.read(content)
    except rx.RosterFileError as exc:
        raise RosterImportError(str(exc)) from None
    filename = (filename or getattr(file, "name", "") or "花名册.xlsx")[-255:]
    with transaction.atomic():
        batch = RosterImport.objects.create(
            uploaded_by=user,
            filename=filename,
            sha256=hashlib.sha256(content).hexdigest(),
        )
        # The rows go in with an update, past the audit signal (see RosterImport's docstring).
        RosterImport.objects.filter(pk=batch.pk).update(sheet=rx.sheet_to_json(sheet))
    return batch


def roster_import_preview(*, user, file) -> ImportPreview:
    """What importing `file` would do, row by row, for this user, without saving anything."""
    try:
        sheet = rx.read(_read_upload(file))
    except (RosterImportError, rx.RosterFileError) as exc:
        return ImportPreview(file_errors=[str(exc)])
    return _Validator(user).validate(sheet)


def roster_import_review(*, user, batch: RosterImport) -> ImportPreview:
    """What applying a kept batch would do, from the rows read at upload: the file is never
    parsed again, however often the preview page is visited."""
    data = RosterImport.objects.filter(pk=batch.pk).values_list("sheet", flat=True).first()
    if not data:
        return ImportPreview(file_errors=[_("该批次没有可导入的数据，请重新上传花名册")])
    return _Validator(user).validate(rx.sheet_from_json(data))


def roster_import_apply(*, user, batch: RosterImport) -> dict[str, int]:
    """Save every row of a previewed batch, or nothing; a batch is applied at most once.

    The rows are validated again against the roster as it is now (the members they match locked
    until the end), then saved with bulk operations in this one transaction, listed as
    RosterImportRow and audited as one AuditEvent ("import") of the batch that lists every row
    with the values saved (and, for an update, the values it replaced)."""
    require_write(user)
    with transaction.atomic():
        locked = (
            RosterImport.objects.select_for_update().visible_to(user).filter(pk=batch.pk).first()
        )
        if locked is None:
            raise RosterImportError(_("找不到该导入批次"))
        if locked.status == RosterImport.Status.APPLIED:
            raise RosterImportError(_("该批次已经导入，不能重复导入"))
        if locked.status != RosterImport.Status.PENDING:
            raise RosterImportError(_("该批次已放弃，请重新上传花名册"))
        # Validated again: the roster may have changed since the preview was shown.
        data = RosterImport.objects.filter(pk=locked.pk).values_list("sheet", flat=True).first()
        if not data:
            raise RosterImportError(_("该批次没有可导入的数据，请重新上传花名册"))
        preview = _Validator(user, lock=True).validate(rx.sheet_from_json(data))
        if not preview.ok:
            raise RosterImportInvalid(preview)
        created = [r for r in preview.rows if r.action == CREATE]
        updated = [r for r in preview.rows if r.action == UPDATE]
        now = timezone.now()
        keys: dict[str, tuple[str, str]] = {}
        for row in created + updated:
            _prepare_for_bulk(row.member, now, keys)
        moved = _moves([r.member for r in updated])
        try:
            with transaction.atomic():
                _insert(Member, [r.member for r in created])
                Member.objects.bulk_update(
                    [r.member for r in updated], _BULK_UPDATE_FIELDS, batch_size=_BULK
                )
        except IntegrityError:
            raise RosterImportError(
                _("保存时发现身份证号冲突（可能刚被他人登记），未保存任何数据，请重新预览")
            ) from None
        if created:
            pk_of = dict(
                Member.objects.filter(id_number__in=[r.member.id_number for r in created])
                .order_by()
                .values_list("id_number", "pk")
            )
            for r in created:
                r.member.pk = pk_of[r.member.id_number]
                r.member._state.adding = False
        _insert(
            RosterImportRow,
            [
                RosterImportRow(batch=locked, member=r.member, row=r.number, action=r.action)
                for r in created + updated
            ],
        )
        if moved:
            members_moved.send(Member, moves=moved)
        result = preview.counts
        record(locked, AuditEvent.Action.IMPORT, _import_event(locked, result, created, updated))
        done = RosterImport.objects.filter(pk=locked.pk, status=RosterImport.Status.PENDING).update(
            status=RosterImport.Status.APPLIED,
            sheet=None,
            result=result | {"applied_at": now.isoformat()},
        )
        if done != 1:
            raise RosterImportError(_("该批次已经导入，不能重复导入"))
    return result


_BULK = 1000
# What an import may change on a member it updates: the sheet's fields and what follows them.
_BULK_UPDATE_FIELDS = [
    *(attname.removesuffix("_id") for _f, attname in _COMPARED),
    "name_pinyin",
    "name_initials",
    "township",
    "updated_at",
]
# The member's values an import event lists for each row it saved.
_EVENT_FIELDS = [
    "id",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "township_id",
    "village_id",
    "category",
    "joined_on",
    "mobility",
    "point_id",
    "active",
    "on_roster_since",
]


def _moves(members: list[Member]) -> dict[int, tuple[int, int]]:
    """{member id: (village id as stored, village id now)} of the members whose village changed."""
    if not members:
        return {}
    stored = dict(
        Member.objects.filter(pk__in=[m.pk for m in members]).values_list("pk", "village_id")
    )
    return {m.pk: (stored[m.pk], m.village_id) for m in members if stored[m.pk] != m.village_id}


def _insert(model, objs: list) -> None:
    """INSERT `objs` with one executemany: what bulk_create does without its per-value work in
    the ORM, which made 10,000 members take ten times a bare INSERT. Values are taken as they
    are (what `_prepare_for_bulk` and the defaults set), dates adapted for the database; primary
    keys are not read back."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    adapters = {
        "DateField": ops.adapt_datefield_value,
        "DateTimeField": ops.adapt_datetimefield_value,
    }
    columns = [(f.attname, adapters.get(f.get_internal_type())) for f in fields]
    rows = [
        tuple(
            adapt(getattr(obj, attname)) if adapt else getattr(obj, attname)
            for attname, adapt in columns
        )
        for obj in objs
    ]
    qn = ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _prepare_for_bulk(member: Member, now, keys: dict[str, tuple[str, str]]) -> None:
    """What Member.save() does before writing, which bulk operations skip."""
    member.id_number = idcard.normalise(member.id_number)
    member.name = names.normalise(member.name)
    if member.name not in keys:
        keys[member.name] = pinyin.keys(member.name)
    member.name_pinyin, member.name_initials = keys[member.name]
    member.township_id = member.village.township_id
    member.updated_at = now
    if member.pk is None:
        member.created_at = now


def _event_value(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _import_event(batch: RosterImport, counts: dict, created: list, updated: list) -> dict:
    """The import's audit record: the batch, the counts, and each row saved with its values
    (`fields`), an update also with the values it replaced (`before`)."""
    rows = []
    for r in created + updated:
        entry = [r.number, r.action, [_event_value(getattr(r.member, f)) for f in _EVENT_FIELDS]]
        if r.action == UPDATE:
            entry.append({k: _event_value(v) for k, v in r.before.items()})
        rows.append(entry)
    return {
        "filename": batch.filename,
        "sha256": batch.sha256,
        **counts,
        "fields": _EVENT_FIELDS,
        "rows": rows,
    }


def roster_import_discard(*, user, batch: RosterImport) -> None:
    done = (
        RosterImport.objects.visible_to(user)
        .filter(pk=batch.pk, status=RosterImport.Status.PENDING)
        .update(
            status=RosterImport.Status.REJECTED,
            sheet=None,
        )
    )
    if not done:
        raise RosterImportError(_("该批次已处理，不能放弃"))


# --- helpers -------------------------------------------------------------------------------


def _read_upload(file) -> bytes:
    """The upload's bytes, refusing an oversized one before reading or parsing it."""
    limit = settings.DIANJIAO_MAX_UPLOAD_BYTES
    too_big = RosterImportError(
        _("文件超过 %(limit)s 上限，请删去无关的工作表或分成几个文件上传")
        % {"limit": size_label(limit)}
    )
    if isinstance(file, (bytes, bytearray, memoryview)):
        content = bytes(file)
    else:
        if (getattr(file, "size", None) or 0) > limit:
            raise too_big
        file.seek(0)
        content = file.read(limit + 1)
    if len(content) > limit:
        raise too_big
    if not content:
        raise RosterImportError(_("上传的文件是空的"))
    return content


def _header(field_name: str) -> str:
    if field_name == NON_FIELD_ERRORS:
        return _("整行")
    if field_name in rx.HEADER_OF:
        return rx.HEADER_OF[field_name]
    return str(Member._meta.get_field(field_name).verbose_name)


# Left out of each row's full_clean: village and point came from the user's writable scope, ID
# numbers were checked for the whole file at once (skipping those per-row lookups keeps the
# queries fixed); gender, category and mobility were read through their own choices; the rest the
# sheet never sets. Member.clean() (ID number, dates, age, point of the village) still runs.
_NOT_CLEANED = frozenset(
    {
        "township",
        "village",
        "point",
        "gender",
        "category",
        "mobility",
        "name_pinyin",
        "name_initials",
        "active",
        "on_roster_since",
        "left_on",
        "left_reason",
        "created_at",
        "updated_at",
    }
)


class _Validator:
    """Validates a sheet for one user, with a fixed number of queries however long the sheet."""

    def __init__(self, user, *, lock: bool = False):
        self.user = user
        self.lock = lock  # confirming: the members the rows match stay locked until saved
        self.blank = Member(active=True)
        self.unusable_id = (
            _("该身份证号不能使用")
            if is_station(user)
            else _("该身份证号不能使用，请与乡电教站核实")
        )
        self.villages = list(Village.objects.writable_by(user))
        self.village_keys: dict[str, list[Village]] = {}
        for v in self.villages:
            for key in {v.name, v.branch_name}:
                if key:
                    self.village_keys.setdefault(key, []).append(v)
        self.points: dict[int, dict[str, ViewingPoint]] = {}
        self.point_names: set[str] = set()
        in_use: dict[int, list[ViewingPoint]] = {}
        for p in ViewingPoint.objects.writable_by(user).order_by("pk"):
            self.points.setdefault(p.village_id, {})[p.name] = p
            self.point_names.add(p.name)
            if p.active:
                in_use.setdefault(p.village_id, []).append(p)
        # Where a new member whose row names no point goes: the village's only point in use,
        # else its default point; else nowhere (a to-do for the station, see compliance.todos).
        self.fallback_point: dict[int, ViewingPoint] = {}
        for village_id, points in in_use.items():
            chosen = points if len(points) == 1 else [p for p in points if p.is_default]
            if chosen:
                self.fallback_point[village_id] = chosen[0]

    def find_village(self, raw: str) -> list[Village]:
        found = self.village_keys.get(raw)
        if not found:
            short = re.sub(r"(党总支|党支部|支部)$", "", raw)
            found = self.village_keys.get(short, [])
        return list({v.pk: v for v in found}.values())

    def validate(self, sheet: rx.Sheet) -> ImportPreview:
        parsed = [(row, *_parse(row)) for row in sheet.rows]
        ids = [values["id_number"] for _, values, _ in parsed if values.get("id_number")]
        seen: dict[str, list[int]] = {}
        for row, values, _errors in parsed:
            if values.get("id_number"):
                seen.setdefault(values["id_number"], []).append(row.number)
        # Unscoped on purpose: an ID number registered anywhere, even where this user cannot see,
        # must not be registered twice. Only "cannot be used" is said, never that the person
        # exists, where or who: the station, who sees the whole township, can look it up.
        found = Member.objects.filter(id_number__in=ids).select_related("village", "point")
        if self.lock:
            found = found.select_for_update(of=("self",))
        existing = {m.id_number: m for m in found.order_by()}
        writable = set(
            Member.objects.writable_by(self.user)
            .filter(pk__in=[m.pk for m in existing.values()])
            .order_by()
            .values_list("pk", flat=True)
        )
        preview = ImportPreview(ignored_columns=sheet.ignored)
        for row, values, errors in parsed:
            ident = values.get("id_number") or ""
            others = [n for n in seen.get(ident, []) if n != row.number]
            if others:
                errors.append(
                    (
                        "id_number",
                        _("身份证号与第%(rows)s行重复") % {"rows": _("、").join(map(str, others))},
                    )
                )
            current = existing.get(ident)
            if current is not None and current.pk not in writable:
                errors.append(("id_number", self.unusable_id))
                current = None
            preview.rows.append(self.validate_row(row, values, errors, current))
        return preview

    def validate_row(
        self, row: rx.SheetRow, values: dict, errors: list, current: Member | None
    ) -> RowPreview:
        if current is None:
            for f in ("name", "id_number", "joined_on"):
                if values.get(f) is None and not any(e[0] == f for e in errors):
                    errors.append((f, _("请填写%(column)s") % {"column": rx.HEADER_OF[f]}))
        bad_cells = {f for f, _ in errors}  # cells that could not be read are left out below
        result = RowPreview(
            number=row.number,
            name=values.get("name") or "",
            id_number=values.get("id_number") or "",
            village=values.get("village") or "",
            point=values.get("point") or "",
        )

        village = None
        if values.get("village"):
            found = self.find_village(values["village"])
            if len(found) == 1:
                village = found[0]
            elif found:
                errors.append(
                    (
                        "village",
                        _("有多个名为“%(name)s”的党支部，无法确定是哪一个")
                        % {"name": values["village"]},
                    )
                )
            else:
                errors.append(
                    (
                        "village",
                        _("找不到党支部“%(name)s”，或它不在您可管理的范围内")
                        % {"name": values["village"]},
                    )
                )
        elif current is not None:
            village = current.village
        else:
            errors.append(("village", _("请填写所在党支部")))

        point, point_known = None, village is not None
        if village is not None and values.get("point"):
            name = values["point"]
            point = self.points.get(village.pk, {}).get(name)
            if point is None:
                point_known = False
                if name in self.point_names:
                    errors.append(
                        (
                            "point",
                            _("播放点“%(name)s”不属于%(village)s，只能选择本村的播放点")
                            % {
                                "name": name,
                                "village": village.name,
                            },
                        )
                    )
                else:
                    errors.append(
                        (
                            "point",
                            _("%(village)s没有名为“%(name)s”的播放点")
                            % {"village": village.name, "name": name},
                        )
                    )
            elif not point.active and not (current and current.point_id == point.pk):
                errors.append(
                    ("point", _("播放点“%(name)s”已停用，请选择在用的播放点") % {"name": name})
                )
        elif current is not None and village is not None and current.village_id == village.pk:
            point = current.point  # blank keeps what the roster has
        elif village is not None:
            # A new member, or one moved to another village, with no point named: the village's
            # only point in use or its default point.
            point = self.fallback_point.get(village.pk)
            result.point_assigned = point is not None

        if current is not None:
            member = copy.copy(current)
            original = {attname: getattr(current, attname) for _, attname in _COMPARED}
        else:
            # A copy of one blank member (its defaults computed once) is a new member too.
            member = copy.copy(self.blank)
            member.id_number = values.get("id_number") or ""
            original = None
            try:
                birth, gender = idcard.parse(member.id_number)
            except idcard.IdNumberError:
                pass
            else:
                if values.get("birth_date") is None:
                    values["birth_date"] = birth
                if values.get("gender") is None:
                    values["gender"] = gender
        if isinstance(values.get("birth_date"), rx.YearMonth):
            values["birth_date"] = _birth_in_month(values["birth_date"], member, current)
        for f in (
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "phone",
            "category",
            "joined_on",
            "mobility",
        ):
            if values.get(f) is not None:
                setattr(member, f, values[f])
        if village is not None:
            member.village = village
        if point_known:
            member.point = point
        result.village = village.name if village else result.village
        result.point = point.name if point else result.point

        status = values.get("status")
        if current is not None and not current.active:
            if status is not False:
                if current.left_on:
                    message = _("该党员已于%(day)s离册，导入不能恢复在册") % {
                        "day": dateformat.format(current.left_on, _("Y年m月d日")),
                    }
                else:
                    message = _("该党员已离册，导入不能恢复在册")
                errors.append(("status", message))
        elif status is False:
            errors.append(
                (
                    "status",
                    _("导入只用于登记在册党员；办理离册请到该党员的页面，填写离册日期和原因"),
                )
            )

        if current is None:
            # Without a valid ID number these cannot be derived; the ID number's error says what to fix.
            bad_cells |= {f for f in ("birth_date", "gender") if not getattr(member, f)}
        try:
            member.full_clean(exclude=bad_cells | _NOT_CLEANED, validate_unique=False)
        except ValidationError as exc:
            said = bad_cells | {f for f, _ in errors if f in ("village", "point")}  # not twice over
            errors.extend(
                (f, m)
                for f, messages in exc.message_dict.items()
                if f not in said
                for m in messages
            )

        if not errors and original is not None:
            changed = [
                (f, attname)
                for f, attname in _COMPARED
                if getattr(member, attname) != original[attname]
            ]
            result.changes = [_header(f) for f, _attname in changed]
            result.before = {attname: original[attname] for _f, attname in changed}
            if result.changes and not current.active:
                errors.append(("status", _("已离册党员的信息不能通过导入修改")))

        errors.sort(key=lambda e: _COLUMN_ORDER.get(e[0], 99))
        result.errors = [(_header(f), m) for f, m in errors]
        if not result.errors:
            result.member = member
            result.action = (
                CREATE if original is None else (UPDATE if result.changes else UNCHANGED)
            )
        return result


def _birth_in_month(month: rx.YearMonth, member: Member, current: Member | None) -> dt.date:
    """A roster that keeps only 出生年月: the day comes from the member already on the roster or
    from the ID number when either falls in that month; otherwise the month's first day, which
    the model then reports as not matching the ID number."""
    if current is not None and month.holds(current.birth_date):
        return current.birth_date
    try:
        birth, _gender = idcard.parse(member.id_number)
    except idcard.IdNumberError:
        return month.first_day()
    return birth if month.holds(birth) else month.first_day()


def _parse(row: rx.SheetRow) -> tuple[dict, list[tuple[str, str]]]:
    """Cells to Python values (None for blank), and the cells that could not be read."""
    cells = row.cells
    values: dict = {}
    errors: list[tuple[str, str]] = []

    def read(f, fn):
        if f not in cells:
            return
        try:
            value = fn(cells[f])
        except rx.CellError as exc:
            errors.append((f, str(exc)))
        else:
            values[f] = None if value == "" else value

    read("name", rx.name)
    read("gender", lambda v: rx.choice(v, rx.GENDERS, {"男性": "M", "女性": "F"}, what="性别"))
    read("ethnicity", _ethnicity)
    read("birth_date", rx.birth)
    read("id_number", rx.id_number)
    read("phone", _phone)
    read("village", rx.text)
    read(
        "category",
        lambda v: rx.choice(
            v, rx.CATEGORIES, {"正式": "full", "预备": "probationary"}, what="党员类别"
        ),
    )
    read("joined_on", rx.date)
    read(
        "mobility",
        lambda v: rx.choice(
            v,
            rx.MOBILITIES,
            {
                "常驻": "resident",
                "转场": "pastoral",
                "牧业": "pastoral",
                "流动": "migrant",
                "外出流动": "migrant",
            },
            what="流动情况",
        ),
    )
    read("point", rx.text)
    read("status", lambda v: rx.choice(v, rx.STATUSES, {"离册": False, "正常": True}, what="状态"))
    return values, errors


def _ethnicity(value) -> str:
    text = rx.text(value)
    if text and not text.endswith("族") and text not in {"其他", "未识别", "外国血统"}:
        text += "族"  # 汉 → 汉族, 哈萨克 → 哈萨克族: one spelling, so lists and counts agree
    return text


def _phone(value) -> str:
    text = rx.text(value)
    if text and not _PHONE.match(text):
        raise rx.CellError(_("联系电话“%(text)s”只能包含数字") % {"text": text})
    return text
