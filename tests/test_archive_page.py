"""The «Архив года» page (AppTest): an IT administrator creates the year's archive on two media through
the page's widgets; both copies verify against the school's key, the page says so; the director (not the
IT administrator: it holds the students' data) downloads the whole-archive .zip, which holds exactly the
manifest's files (and unpacks into a copy that verifies). Only the director and
the IT administrator get the page."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from access import accounts, audit
from access.store import open_store
from etl.archive import generate_keypair, verify
from tests.access_fixtures import PASSWORD, real_school  # noqa: F401  (fixture)
from tests.dashboard_fixtures import clean_streamlit_caches  # noqa: F401  (autouse fixture)
from tests.test_access_deck import login, open_deck, registered

pytestmark = pytest.mark.slow
YEAR = "2025/2026"
SUBMIT = "FormSubmitter:archive_create-Создать"


@pytest.fixture
def media(monkeypatch) -> list[MediaFileManager]:
    """The media file managers of each AppTest run, so a deferred download can be taken as a click would."""
    made: list[MediaFileManager] = []

    class Recorded(MediaFileManager):
        def __init__(self, storage) -> None:
            super().__init__(storage)
            made.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recorded)
    return made


def take(at: AppTest, media: list[MediaFileManager], key: str) -> bytes:
    """The bytes the browser would get from the (deferred) download button `key` of the last run."""
    file_id = next(b for b in at.get("download_button") if b.key == key).proto.deferred_file_id
    mgr = media[-1]
    url = mgr.execute_deferred(file_id)
    return mgr.read_file(url.rsplit("/", 1)[1].split(".")[0]).content


def archives(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if not p.name.startswith("."))


def test_it_admin_creates_and_verifies_the_director_downloads_the_archive(real_school, tmp_path,  # noqa: F811
                                                             monkeypatch, media):
    roots = [tmp_path / "disk-a", tmp_path / "disk-b"]
    for r in roots:
        r.mkdir()
    (tmp_path / "keys").mkdir()
    key = generate_keypair(tmp_path / "keys" / "school.key")
    monkeypatch.setenv("ZAVUCH_ARCHIVE_ROOTS", os.pathsep.join(map(str, roots)))
    monkeypatch.setenv("ZAVUCH_ARCHIVE_KEY", str(key.private))

    at = login(open_deck(real_school.db), "it_admin")
    at.switch_page("views/archive.py").run()
    assert not at.exception
    assert [c.value for c in at.caption if "архивов нет" in c.value] == [f"{r}: архивов нет." for r in roots]

    # An unknown year is refused in plain words and writes nothing.
    at.text_input(key="archive_year").input("1999/2000")
    at.multiselect(key="archive_roots").set_value([str(r) for r in roots])
    at.button(key=SUBMIT).click().run()
    assert [e.value for e in at.error] == ["учебный год «1999/2000» не найден в хранилище"]
    assert [list(r.iterdir()) for r in roots] == [[], []]

    at.text_input(key="archive_year").input(YEAR)
    at.multiselect(key="archive_roots").set_value([str(r) for r in roots])
    at.button(key=SUBMIT).click().run()
    assert not at.exception and not at.error
    copies = [archives(r) for r in roots]
    assert [len(c) for c in copies] == [1, 1]
    a, b = copies[0][0], copies[1][0]
    assert a.name == b.name and a.name.startswith("zavuch-archive_s001_2025-2026_")
    for copy in (a, b):
        v = verify(copy, key.public)
        assert v.ok, v.problems
        assert v.key_fingerprint == key.fingerprint
    manifest = json.loads((a / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["records"]["created_by"] == "Пользователь it_admin"
    assert (a / "manifest.json").read_bytes() == (b / "manifest.json").read_bytes()

    # The page shows the verification of each copy: as written (checked with the key inside the copy),
    # then in the media listing against the school's public key beside the configured private key.
    shown = [s.value for s in at.success]
    tail = f"отпечаток {key.fingerprint}, файлов проверено: {len(manifest['files'])})."
    for copy in (a, b):
        for whose in ("ключ из самого архива", "ключ школы"):
            assert f"{copy}: подлинность и целостность подтверждены ({whose}, {tail}" in shown, shown
    assert f"Архив «{a.name}» создан и проверен на каждом носителе." in shown
    assert any(w.value.startswith("несколько копий на одном устройстве") for w in at.warning)  # both in tmp

    # The IT administrator sees no student data: the archive's people.csv, marks and ведомости are not
    # offered to them (they were: every student's name and birth date, past the role's AccessDenied).
    assert not [b for b in at.get("download_button") if b.key in ("archive_zip", "archive_file")]
    assert any("Скачать архив или его файлы может директор" in c.value for c in at.caption)

    # The director takes it. The whole archive as one zip: exactly the manifest's files (plus the manifest
    # and its signature), in a fixed order, byte for byte, and the unpacked folder verifies against the key.
    at = login(open_deck(real_school.db), "director")
    at.switch_page("views/archive.py").run()
    assert not at.exception
    assert at.selectbox(key="archive_download_copy").options == [str(a), str(b)]
    zipped = take(at, media, "archive_zip")
    listed = sorted(f["path"] for f in manifest["files"])
    with zipfile.ZipFile(io.BytesIO(zipped)) as z:
        assert z.namelist() == [f"{a.name}/{p}" for p in ["manifest.json", "manifest.sig", *listed]]
        for p in ["manifest.json", "manifest.sig", *listed]:
            assert z.read(f"{a.name}/{p}") == (a / p).read_bytes(), p
        z.extractall(tmp_path / "unzipped")
    assert verify(tmp_path / "unzipped" / a.name, key.public).ok
    assert take(at, media, "archive_zip") == zipped  # deterministic: the same copy gives the same bytes

    # One document on its own.
    files = at.selectbox(key="archive_download_file")
    assert files.options[0] == "csv/academic_years.csv" and "documents/svodnaya-god.pdf" in files.options
    files.set_value("documents/svodnaya-god.pdf").run()
    assert take(at, media, "archive_file") == (a / "documents" / "svodnaya-god.pdf").read_bytes()

    # A director of another school of the warehouse (a municipal deck) is offered no archive of this one.
    with open_store(real_school.store) as con:
        accounts.add(con, "director_s002", "Директор другой школы", "director", PASSWORD, by="test",
                     school_ids=["s002"])
    at = login(open_deck(real_school.db), "director_s002")
    at.switch_page("views/archive.py").run()
    assert not at.exception and not [b for b in at.get("download_button") if b.key == "archive_zip"]
    assert any(c.value == "Проверенных архивов ваших школ на носителях нет." for c in at.caption)

    with open_store(real_school.store) as con:
        log = audit.entries(con)
    made = log.filter(log["action"] == "archive", log["login"] == "it_admin")
    assert made.height == 1  # the refused attempt wrote nothing and is not an archive
    assert f'"name": "{a.name}"' in made["detail"][0] and '"failures": 0' in made["detail"][0]


@pytest.mark.parametrize(("role", "sees"), [("director", True), ("deputy", False), ("methodologist", False)])
def test_only_director_and_it_admin_get_the_page(real_school, role, sees):  # noqa: F811
    at = login(open_deck(real_school.db), role)
    assert not at.exception
    assert registered(at, "archive") is sees
