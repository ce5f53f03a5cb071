"""Hostile deliveries: each is refused with a message saying what and where, its counts reconcile
and no record reaches the store."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from safeguard.access.policy import Decision
from safeguard.access.roles import Role
from safeguard.hub.deliveries.models import Delivery, QuarantinedRow, SourceRecord
from safeguard.hub.deliveries.services import HubDeliveries
from safeguard.ingest import DeliveryReport, Outcome, exit_code, ingest
from safeguard.ingest.limits import Limits
from tests.callers import caller
from tests.conftest import MANIFEST

pytestmark = pytest.mark.django_db

PEOPLE = "record_id,forenames,surname\nP1,Kayleigh,Smith\nP2,Jordan,Brown\n"
BIG = 10 * 2**20  # a 10 MB value


def run(path: Path, tmp_path: Path, limits: Limits | None = None) -> DeliveryReport:
    store = HubDeliveries(caller(Role.DATA_OPERATOR), Decision(True, "data operator"))
    return ingest(path, store, tmp_path / "landing", limits=limits or Limits())


def zipped(tmp_path: Path, members: dict[str, bytes], name: str = "delivery.zip") -> Path:
    archive = tmp_path / name
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(MANIFEST))
        for member, data in members.items():
            z.writestr(member, data)
    return archive


def assert_refused(report: DeliveryReport, tmp_path: Path, *words: str) -> None:
    """Refused with a message naming the problem; counts reconcile; nothing of it stored."""
    assert report.outcome is Outcome.REJECTED, report
    for word in words:
        assert word in report.message, report.message
    assert exit_code([report]) == 2
    assert all(f.reconciles for f in report.files)
    assert report.read == report.accepted == report.quarantined == 0
    assert SourceRecord.objects.count() == 0 and QuarantinedRow.objects.count() == 0
    assert not Delivery.objects.filter(status=Delivery.Status.LOADED).exists()
    assert not list((tmp_path / "landing").glob("*/*")), "nothing may land"


def traversal(tmp_path: Path) -> Path:
    return zipped(tmp_path, {"people.csv": PEOPLE.encode(), "../../outside.csv": b"x"})


def absolute(tmp_path: Path) -> Path:
    return zipped(tmp_path, {"people.csv": PEOPLE.encode(), "/etc/cron.d/people.csv": b"x"})


def bomb(tmp_path: Path) -> Path:
    return zipped(tmp_path, {"people.csv": b"record_id\n" + b"P" * (12 * 2**20)})


def workbook_bomb(tmp_path: Path) -> Path:
    """An .xlsx (itself a zip) whose sheet unpacks to a thousand times its size."""
    inner = tmp_path / "people.xlsx"
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<" * (12 * 2**20))
    return zipped(tmp_path, {"people.xlsx": inner.read_bytes()})


def zip_link(tmp_path: Path) -> Path:
    archive = zipped(tmp_path, {"people.csv": PEOPLE.encode()})
    link = zipfile.ZipInfo("incidents.csv")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr(link, "/etc/passwd")
    return archive


def damaged(tmp_path: Path) -> Path:
    """A zip whose data does not match its own checksum."""
    archive = tmp_path / "delivery.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        z.writestr("manifest.json", json.dumps(MANIFEST))
        z.writestr("people.csv", PEOPLE)
    data = bytearray(archive.read_bytes())
    data[data.index(b"Kayleigh")] = ord("k")
    archive.write_bytes(bytes(data))
    return archive


def two_of_a_name(tmp_path: Path) -> Path:
    return zipped(tmp_path, {"a/people.csv": PEOPLE.encode(), "b/people.csv": b"record_id\nX\n"})


AT_THE_DOOR: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "zip path with ../": (traversal, ("'../../outside.csv'", "outside the delivery folder")),
    "zip path absolute": (absolute, ("'/etc/cron.d/people.csv'", "outside the delivery folder")),
    "zip bomb": (bomb, ("'people.csv'", "SAFEGUARD_INGEST_MAX_ZIP_RATIO", "zip bomb")),
    "link in a zip": (zip_link, ("'incidents.csv'", "symbolic link")),
    "damaged zip": (damaged, ("people.csv cannot be unpacked", "CRC")),
    "two files of one name": (two_of_a_name, ("two files named 'people.csv'",)),
}


@pytest.mark.parametrize("case", AT_THE_DOOR)
def test_unsafe_zips_are_refused_at_the_door(case: str, tmp_path: Path) -> None:
    make, words = AT_THE_DOOR[case]
    report = run(make(tmp_path), tmp_path)
    assert_refused(report, tmp_path, *words)
    assert not Delivery.objects.exists(), "a delivery refused at the door is not recorded"
    assert not (tmp_path.parent / "outside.csv").exists()


def test_a_zip_over_the_unpacked_limit_is_refused(tmp_path: Path) -> None:
    archive = zipped(tmp_path, {"people.csv": PEOPLE.encode()})
    report = run(archive, tmp_path, Limits(unpacked_bytes=100))
    assert_refused(report, tmp_path, "more than 100 bytes", "SAFEGUARD_INGEST_MAX_UNPACKED_BYTES")
    assert run(archive, tmp_path).outcome is Outcome.LOADED  # the same zip under the default


def test_links_in_a_delivery_folder_are_never_followed(write_delivery, tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere.csv"
    secret.write_text(PEOPLE)
    folder = write_delivery()
    os.symlink(secret, folder / "people.csv")
    report = run(folder, tmp_path)
    assert_refused(report, tmp_path, "people.csv is a symbolic link")


def test_a_deeply_nested_manifest_is_refused_without_a_traceback(write_delivery, tmp_path) -> None:
    folder = write_delivery(files={"people.csv": PEOPLE})
    deep = json.dumps(MANIFEST)[:-1] + ', "notes": ' + "[" * 200_000 + "]" * 200_000 + "}"
    (folder / "manifest.json").write_text(deep)
    assert_refused(run(folder, tmp_path), tmp_path, "nests more than 32 levels")
    (folder / "manifest.json").write_text(json.dumps({**MANIFEST, "notes": "x" * 2**21}))
    assert_refused(run(folder, tmp_path), tmp_path, "larger than 1,048,576 bytes")


def _with_big_value(suffix: str) -> tuple[str, bytes]:
    if suffix == ".csv":
        return "people.csv", f"record_id,surname\nP1,Lee\nP2,{'x' * BIG}\n".encode()
    line = json.dumps({"record_id": "P2", "surname": "x" * BIG})
    return "people.jsonl", f'{{"record_id": "P1"}}\n{line}\n'.encode()


@pytest.mark.parametrize(
    ("suffix", "where"), [(".csv", "row 3 (line 3): a value"), (".jsonl", "line 2 is longer")]
)
def test_a_ten_megabyte_field_is_refused(write_delivery, tmp_path, suffix, where) -> None:
    name, data = _with_big_value(suffix)
    report = run(write_delivery(files={name: data}), tmp_path)
    assert_refused(report, tmp_path, name, where, "1,048,576", "SAFEGUARD_INGEST_MAX_FIELD_BYTES")
    assert Delivery.objects.get().status == Delivery.Status.REJECTED


def test_a_hundred_thousand_columns_are_refused(write_delivery, tmp_path) -> None:
    header = ",".join(["record_id", "surname"] + [f"c{i}" for i in range(99_998)])
    report = run(write_delivery(files={"people.csv": header + "\nP1,Lee\n"}), tmp_path)
    assert_refused(report, tmp_path, "people.csv", "100,000 columns", "at most 1,000")
    wide = json.dumps({"record_id": "P1", **{f"c{i}": "1" for i in range(5_000)}})
    report = run(write_delivery("jsonl", files={"people.jsonl": wide}), tmp_path)
    assert_refused(report, tmp_path, "people.jsonl", "line 1: 5,001 fields")


def _workbook(tmp_path: Path) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["record_id", "surname"])
    book.save(tmp_path / "book.xlsx")
    return (tmp_path / "book.xlsx").read_bytes()


LIES: dict[str, tuple[str, Callable[[Path], bytes], str]] = {
    "csv that is a workbook": ("people.csv", _workbook, "holds a zip archive"),
    "csv that is a PDF": ("people.csv", lambda _: b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "a PDF"),
    "csv with NUL bytes": ("people.csv", lambda _: b"record_id\x00\x00,a\nP1,b\n", "NUL bytes"),
    "csv in UTF-16": ("people.csv", lambda _: "record_id\nP1\n".encode("utf-16"), "UTF-16"),
    "jsonl that is gzip": ("people.jsonl", lambda _: b"\x1f\x8b\x08\x00rest", "gzip"),
    "xlsx that is text": ("people.xlsx", lambda _: PEOPLE.encode(), "not a workbook"),
}


@pytest.mark.parametrize("case", LIES)
def test_a_file_that_lies_about_its_type_is_refused(write_delivery, tmp_path, case) -> None:
    name, content, words = LIES[case]
    report = run(write_delivery(files={name: content(tmp_path)}), tmp_path)
    assert_refused(report, tmp_path, f"{name}: is named", words)


def test_a_workbook_bomb_inside_a_zip_is_refused(tmp_path: Path) -> None:
    report = run(workbook_bomb(tmp_path), tmp_path)
    assert_refused(report, tmp_path, "people.xlsx", "xl/worksheets/sheet1.xml", "zip bomb")


def test_nul_in_a_value_is_quarantined_and_the_rest_loads(write_delivery, tmp_path) -> None:
    rows = "".join(f"P{i},Name{i}\n" for i in range(1_000))  # past the 8 KB looked at first
    lines = [json.dumps({"record_id": "J1", "surname": "Ok"}), '{"record_id": "J2", "x": ']
    lines[1] += "[" * 5_000 + "]" * 5_000 + "}"
    report = run(
        write_delivery(
            files={
                "people.csv": "record_id,surname\n" + rows + "P-bad,Lee\x00\n",
                "people.jsonl": "\n".join(lines) + "\n",
            }
        ),
        tmp_path,
    )
    assert report.outcome is Outcome.LOADED, report.message
    assert all(f.reconciles for f in report.files)
    assert (report.read, report.accepted, report.quarantined) == (1_003, 1_001, 2)
    assert SourceRecord.objects.count() == 1_001
    held = {q.row_number: q for q in QuarantinedRow.objects.all()}
    nul = held[1_002]
    assert "NUL character" in json.dumps(nul.problems) and nul.raw["surname"] == "Lee\\x00"
    assert "nests more than 32 levels" in json.dumps(held[2].problems)
