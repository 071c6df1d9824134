"""Архив года (director, IT administrator): create a year's archive through etl.archive, verify the
archives on the configured media, and (the director only: it holds the students' personal data) download
one archive whole (a .zip built on click) or its single documents and tables (docs/archive.md). The private key is never read or shown here: its path comes from
$ZAVUCH_ARCHIVE_KEY (or the default); media roots from $ZAVUCH_ARCHIVE_ROOTS (separated by «:»)."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import streamlit as st

from dashboard import auth, data
from etl.archive import ArchiveError, Verification, create_archive, resolve_key_path, verify
from etl.archive.keys import public_path_for
from etl.archive.manifest import MANIFEST, SIGNATURE

ROOTS_ENV = "ZAVUCH_ARCHIVE_ROOTS"
SINGLE_FILE_ROLES = ("document", "csv")  # what a person opens without restoring: PDFs and Excel-ready CSV
MIME = {".pdf": "application/pdf", ".csv": "text/csv", ".zip": "application/zip"}


def archive_zip(v: Verification) -> bytes:
    """The verified copy as one .zip: `NAME/manifest.json`, `NAME/manifest.sig`, then the manifest's files
    in path order, stamped with the archive's creation time, so the same copy always gives the same bytes
    and the unpacked folder verifies with `zavuch archive verify`."""
    manifest = v.manifest or {}
    name = manifest["name"]
    stamp = dt.datetime.fromisoformat(manifest["records"]["created_at"]).timetuple()[:6]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for rel in [MANIFEST, SIGNATURE, *(f["path"] for f in manifest["files"])]:
            z.writestr(zipfile.ZipInfo(f"{name}/{rel}", date_time=stamp), (v.folder / rel).read_bytes(),
                       compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _verified(folder: Path, pubkey: Path | None) -> Verification:
    try:
        return verify(folder, pubkey)
    except ArchiveError as e:  # the folder vanished between listing and checking (medium pulled out)
        v = Verification(folder)
        v.add("manifest", folder.name, str(e))
        return v


def _show(v: Verification) -> None:
    if v.ok:
        whose = "ключ из самого архива" if v.key_from_archive else "ключ школы"
        st.success(f"{v.folder}: подлинность и целостность подтверждены ({whose}, "
                   f"отпечаток {v.key_fingerprint}, файлов проверено: {v.files_checked}).")
    else:
        st.error(f"{v.folder}: " + "; ".join(p.message for p in v.problems))


def _create(roots: list[Path]) -> None:
    st.subheader("Создать архив года")
    with st.form("archive_create"):
        year = st.text_input("Учебный год", placeholder="2025/2026", key="archive_year")
        chosen = st.multiselect("Носители (не меньше двух)", [str(r) for r in roots], key="archive_roots",
                                placeholder="Выберите носители")
        submitted = st.form_submit_button("Создать")
    if not submitted:
        return
    try:
        with st.status("Создаю архив…") as status:
            report = create_archive(data.db_path(), [Path(c) for c in chosen], resolve_key_path(None),
                                    year.strip(), created_by=user.full_name, on_step=status.write)
    except ArchiveError as e:
        st.error(str(e))
        return
    auth.record("archive", year=year.strip(), name=report.name, copies=[str(c.folder) for c in report.copies],
                failures=len(report.failures))
    for w in report.warnings:
        st.warning(w)
    for f in report.failures:
        st.error(str(f))
    for copy in report.copies:
        _show(copy)
    if not report.failures:
        st.success(f"Архив «{report.name}» создан и проверен на каждом носителе.")


def _downloadable(v: Verification) -> bool:
    """An archive holds the year's students — people.csv with names and birth dates, marks, the сводные
    ведомости — so only the director may take its contents, and only of their schools; the IT administrator
    creates and verifies copies but sees no student data (docs/security.md)."""
    access = user.access
    school = ((v.manifest or {}).get("records") or {}).get("school") or {}
    return access.role == "director" and (access.school_ids is None or school.get("id") in access.school_ids)


def _downloads(copies: list[Verification]) -> None:
    st.subheader("Скачать архив")
    if user.access.role != "director":
        st.caption("Скачать архив или его файлы может директор: в архиве персональные данные учеников (ФИО, даты "
                   "рождения, отметки), а роли «ИТ-администратор» они не открыты. Копии на носителях создаются и "
                   "проверяются выше.")
        return
    if not copies:
        st.caption("Скачать можно только копию, прошедшую проверку.")
        return
    copies = [c for c in copies if _downloadable(c)]
    if not copies:
        st.caption("Проверенных архивов ваших школ на носителях нет.")
        return
    by_folder = {str(c.folder): c for c in copies}
    v = by_folder[st.selectbox("Копия архива", list(by_folder), key="archive_download_copy")]
    name = v.manifest["name"]
    st.download_button("Скачать архив целиком (ZIP)", lambda: archive_zip(v), file_name=f"{name}.zip",
                       mime=MIME[".zip"], key="archive_zip", on_click=auth.record, args=("download",),
                       kwargs={"archive": name, "file": f"{name}.zip"})
    singles = [f["path"] for f in v.manifest["files"] if f["role"] in SINGLE_FILE_ROLES]
    rel = st.selectbox("Отдельный файл (ведомости, справки, таблицы CSV)", singles,
                       key="archive_download_file")
    st.download_button("Скачать файл", lambda: (v.folder / rel).read_bytes(), file_name=Path(rel).name,
                       mime=MIME.get(Path(rel).suffix, "application/octet-stream"), key="archive_file",
                       on_click=auth.record, args=("download",), kwargs={"archive": name, "file": rel})


user = st.session_state[auth.USER]
st.title("Архив года")
roots = [Path(p) for p in os.environ.get(ROOTS_ENV, "").split(os.pathsep) if p.strip()]
if not roots:
    st.info(f"Носители для архива не настроены: укажите папки в переменной {ROOTS_ENV} при запуске "
            "(`zavuch serve`), например два диска, и перезапустите Завуч.")
    st.stop()

_create(roots)
st.subheader("Архивы на носителях")
school_key = public_path_for(resolve_key_path(None))
pubkey = school_key if school_key.is_file() else None
if pubkey is None:
    st.caption(f"Открытый ключ школы ({school_key}) не найден: подпись проверяется ключом из самого архива — "
               "это подтверждает целостность, но не то, кто подписал.")
verified: list[Verification] = []
for root in roots:
    folders = sorted(p for p in root.glob("*") if (p / MANIFEST).is_file()) if root.is_dir() else []
    if not folders:
        st.caption(f"{root}: архивов нет.")
    for folder in folders:
        v = _verified(folder, pubkey)
        _show(v)
        if v.ok:
            verified.append(v)
_downloads(verified)
