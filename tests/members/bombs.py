"""Hostile .xlsx files, built without ever holding what they inflate to.

`roster_bomb(inflated)` is a real roster workbook (header and one member, text in the shared
strings, as Excel writes it) whose xl/sharedStrings.xml inflates to about `inflated` bytes. The
flood is one deflate block repeated: after a full flush the compressor starts afresh, so each
identical 8 MiB chunk compresses to identical bytes, and a 1 GB member costs a 1 MB block and a
CRC pass. The zip is written by hand for the same reason.
"""

import datetime as dt
import struct
import zlib
from xml.sax.saxutils import escape

from tests.factories import id_number

MIB = 1024 * 1024
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


class Member:
    """One zip member: raw deflate bytes, their CRC-32 and inflated size."""

    def __init__(self, name: str, raw: bytes, crc: int, size: int):
        self.name, self.raw, self.crc, self.size = name.encode(), raw, crc, size

    @classmethod
    def of(cls, name: str, data: bytes) -> "Member":
        co = zlib.compressobj(9, zlib.DEFLATED, -15)
        return cls(name, co.compress(data) + co.flush(), zlib.crc32(data), len(data))

    @classmethod
    def flood(cls, name: str, head: bytes, chunk: bytes, times: int, tail: bytes) -> "Member":
        co = zlib.compressobj(9, zlib.DEFLATED, -15)
        first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
        block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
        last = co.compress(tail) + co.flush()
        crc = zlib.crc32(head)
        for _ in range(times):
            crc = zlib.crc32(chunk, crc)
        crc = zlib.crc32(tail, crc)
        size = len(head) + len(chunk) * times + len(tail)
        return cls(name, first + block * times + last, crc, size)


def zip_bytes(members: list[Member]) -> bytes:
    """A plain zip (no zip64: every member stays below 4 GiB) of already-deflated members."""
    out, central = bytearray(), bytearray()
    for m in members:
        offset = len(out)
        fields = (20, 0, 8, 0, 0x21, m.crc, len(m.raw), m.size, len(m.name), 0)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + m.name + m.raw
        central += (
            struct.pack("<IH", 0x02014B50, 20)
            + struct.pack("<HHHHHIIIHH", *fields)
            + struct.pack("<HHHII", 0, 0, 0, 0, offset)
            + m.name
        )
    start = len(out)
    out += central
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0
    )
    return bytes(out)


def _parts(strings: list[str], *, dimension: str = "A1:D2") -> list[Member]:
    columns = "ABCD"
    header = "".join(f'<c r="{columns[i]}1" t="s"><v>{i}</v></c>' for i in range(4))
    row = "".join(f'<c r="{columns[i]}2" t="s"><v>{i + 4}</v></c>' for i in range(4))
    sheet = (
        f'<worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/><sheetData>'
        f'<row r="1">{header}</row><row r="2">{row}</row></sheetData></worksheet>'
    )
    return [
        Member.of(
            "[Content_Types].xml",
            (
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" '
                f'ContentType="{_CT}.worksheet+xml"/>'
                '<Override PartName="/xl/sharedStrings.xml" '
                f'ContentType="{_CT}.sharedStrings+xml"/>'
                "</Types>"
            ).encode(),
        ),
        Member.of(
            "_rels/.rels",
            (
                f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ).encode(),
        ),
        Member.of(
            "xl/workbook.xml",
            (
                f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
                '<sheet name="党员花名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ).encode(),
        ),
        Member.of(
            "xl/_rels/workbook.xml.rels",
            (
                f'<Relationships xmlns="{_PKG_REL}">'
                f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>"
            ).encode(),
        ),
        Member.of("xl/worksheets/sheet1.xml", sheet.encode()),
    ]


def _strings() -> list[str]:
    return ["姓名", "身份证号", "所在党支部", "入党时间"] + [
        "张顺",
        id_number(dt.date(1980, 5, 6)),
        "红星村",
        "2005-07-01",
    ]


def roster_bomb(inflated: int) -> bytes:
    """A roster whose shared strings inflate to about `inflated` bytes (in 8 MiB chunks)."""
    sis = "".join(f"<si><t>{escape(s)}</t></si>" for s in _strings())
    head = f'<sst xmlns="{_MAIN}">{sis}<si><t>'.encode()  # then one string of `inflated` A's
    chunk = b"A" * (8 * MIB)
    times = max(1, inflated // len(chunk))
    flood = Member.flood("xl/sharedStrings.xml", head, chunk, times, b"</t></si></sst>")
    return zip_bytes([*_parts(_strings()), flood])


def roster_small(*, dimension: str = "A1:D2") -> bytes:
    """The same workbook without the flood: a one-member roster openpyxl reads."""
    sis = "".join(f"<si><t>{escape(s)}</t></si>" for s in _strings())
    return zip_bytes(
        [
            *_parts(_strings(), dimension=dimension),
            Member.of("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}">{sis}</sst>'.encode()),
        ]
    )


def many_parts(n: int) -> bytes:
    """A readable roster padded with `n` tiny extra parts."""
    members = [*_parts(_strings())]
    sis = "".join(f"<si><t>{escape(s)}</t></si>" for s in _strings())
    members.append(Member.of("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}">{sis}</sst>'.encode()))
    members += [Member.of(f"xl/media/pad{i}.xml", b"<x/>") for i in range(n)]
    return zip_bytes(members)
