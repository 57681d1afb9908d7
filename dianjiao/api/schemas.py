"""The API's request and response shapes; the OpenAPI document is generated from them."""

import datetime as dt
import uuid
from typing import Literal

from ninja import Field, Schema
from pydantic import AwareDatetime

TEXT = 5000  # a bound on every free text, checked before anything is parsed further


class Error(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        description="Messages per field, in the caller's language (Accept-Language)"
    )


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=200)
    device_name: str = Field(max_length=200)


class DeviceIn(Schema):
    device_name: str = Field(max_length=200)


class TokenOut(Schema):
    token: str = Field(description="Shown once; send it as `Authorization: Bearer <token>`")
    expires_at: dt.datetime


class TokenInfo(Schema):
    id: int
    username: str
    device_name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    active: bool


# -- sessions ---------------------------------------------------------------------------------


class AttendanceIn(Schema):
    member: int
    status: Literal["present", "excused", "absent"]
    reason: str = Field("", max_length=20)
    makes_up_for: uuid.UUID | None = None


class GuestIn(Schema):
    name: str = Field(max_length=200)
    note: str = Field("", max_length=500)


class PracticeIn(Schema):
    member: int | None = None
    group: str = Field("", max_length=80)
    task: str = Field("", max_length=TEXT)
    due_on: dt.date | None = None


class FourRingIn(Schema):
    preparation: str = Field("", max_length=TEXT)
    prepared_at: AwareDatetime | None = None
    prompts: str = Field("", max_length=TEXT)
    record_notes: str = Field("", max_length=TEXT)
    discussion: str = Field("", max_length=TEXT)
    speakers: list[int] = Field(default_factory=list, max_length=500)
    practice: list[PracticeIn] = Field(default_factory=list, max_length=100)


class SessionIn(Schema):
    id: uuid.UUID = Field(description="Made on the phone; a replay of it is recognised")
    point: int = Field(description="A viewing point of the caller's village")
    held_at: AwareDatetime
    captured_at: AwareDatetime | None = Field(
        None, description="The phone's clock when the record was made (untrusted)"
    )
    kind: Literal["monthly", "key_film", "makeup", "pastoral", "other"]
    films: list[int] = Field(max_length=50)
    duration_minutes: int = Field(description="The whole session: teaching plus viewing")
    teaching_minutes: int = Field(0, description="Of the duration, the minutes of teaching (授课)")
    attendance: list[AttendanceIn] = Field(max_length=2000)
    guests: list[GuestIn] = Field(default_factory=list, max_length=500)
    four_ring: FourRingIn | None = None
    notes: str = Field("", max_length=TEXT)


class AttendanceOut(Schema):
    member: int
    name: str
    expected: bool
    status: str
    reason: str
    makes_up_for: uuid.UUID | None


class GuestOut(Schema):
    name: str
    note: str


class FourRingOut(Schema):
    preparation: str
    prepared_at: dt.datetime | None
    prompts: str
    record_notes: str
    discussion: str
    speakers: list[int]
    complete: bool
    missing: list[str]


class SessionOut(Schema):
    id: uuid.UUID
    village: int
    point: int
    held_at: dt.datetime
    captured_at: dt.datetime | None
    received_at: dt.datetime
    kind: str
    films: list[int]
    duration_minutes: int
    teaching_minutes: int
    viewing_minutes: int
    key_session: bool
    attendance: list[AttendanceOut]
    guests: list[GuestOut]
    four_ring: FourRingOut
    notes: str
    operator: str
    logbook_entry: uuid.UUID | None = Field(
        description="The session's entry in the village logbook"
    )


class SessionConflict(Schema):
    detail: str
    stored: SessionOut | None = Field(description="What the server holds under this id")
    sent: dict = Field(description="What was sent now")


# -- information items ------------------------------------------------------------------------


class PhotoIn(Schema):
    name: str = Field(max_length=200)
    data: str = Field(description="The image file, base64-encoded")


class InfoItemIn(Schema):
    id: uuid.UUID = Field(description="Made on the phone; a replay of it is recognised")
    village: int | None = Field(None, description="Default: the operator's own village")
    title: str = Field(max_length=200)
    text: str = Field(max_length=20000)
    category: Literal["news", "experience", "innovation", "other"] = "news"
    captured_at: AwareDatetime | None = None
    photos: list[PhotoIn] = Field(default_factory=list, max_length=9)


class InfoItemOut(Schema):
    id: uuid.UUID
    item: int
    village: int
    title: str
    text: str
    category: str
    status: str
    sent_at: dt.datetime
    photos: int


class InfoItemConflict(Schema):
    detail: str
    stored: InfoItemOut | None
    sent: dict


# -- bootstrap ----------------------------------------------------------------------------------


class VillageOut(Schema):
    id: int
    name: str
    is_pastoral: bool
    writable: bool


class PointOut(Schema):
    id: int
    village: int
    name: str
    kind: str
    seasonal_place: str


class MemberOut(Schema):
    id: int
    village: int
    point: int | None
    name: str
    pinyin: str
    initials: str


class FilmOut(Schema):
    id: int
    title: str
    key_film: bool


class CampaignPointOut(Schema):
    id: int
    name: str
    river_area: str
    latitude: float | None
    longitude: float | None
    villages: list[int]
    viewing_points: list[int]


class CampaignOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    target_hours: float
    points: list[CampaignPointOut]


class UserOut(Schema):
    username: str
    full_name: str
    role: str
    village: int | None
    township: int | None


class Bootstrap(Schema):
    user: UserOut
    server_time: dt.datetime
    villages: list[VillageOut]
    points: list[PointOut]
    members: list[MemberOut]
    films: list[FilmOut]
    campaigns: list[CampaignOut]
