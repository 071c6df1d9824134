"""Архив года (IT administrator): verify the archives on the configured media and create a new one
through etl.archive (docs/archive.md). The private key is never read or shown here: its path comes
from $ZAVUCH_ARCHIVE_KEY (or the default); media roots from $ZAVUCH_ARCHIVE_ROOTS (separated by «:»)."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from dashboard import auth, data
from etl.archive import ArchiveError, create_archive, resolve_key_path, verify

ROOTS_ENV = "ZAVUCH_ARCHIVE_ROOTS"

user = st.session_state[auth.USER]
st.title("Архив года")
roots = [Path(p) for p in os.environ.get(ROOTS_ENV, "").split(os.pathsep) if p.strip()]
if not roots:
    st.info(f"Носители для архива не настроены: укажите папки в переменной {ROOTS_ENV} при запуске "
            "(`zavuch serve`), например два диска, и перезапустите Завуч.")
    st.stop()

st.subheader("Архивы на носителях")
for root in roots:
    folders = sorted(p for p in root.glob("*") if (p / "manifest.json").is_file()) if root.is_dir() else []
    if not folders:
        st.caption(f"{root}: архивов нет.")
    for folder in folders:
        v = verify(folder)
        if v.ok:
            st.success(f"{folder}: подлинность и целостность подтверждены (ключ {v.key_fingerprint}).")
        else:
            st.error(f"{folder}: " + "; ".join(p.message for p in v.problems))

st.subheader("Создать архив года")
with st.form("archive_create"):
    year = st.text_input("Учебный год", placeholder="2025/2026", key="archive_year")
    chosen = st.multiselect("Носители (не меньше двух)", [str(r) for r in roots], key="archive_roots")
    submitted = st.form_submit_button("Создать")
if submitted:
    try:
        with st.status("Создаю архив…") as status:
            report = create_archive(data.db_path(), [Path(c) for c in chosen], resolve_key_path(None), year.strip(),
                                    created_by=user.full_name, on_step=status.write)
        auth.record("archive", year=year.strip(), name=report.name, failures=len(report.failures))
        for w in report.warnings:
            st.warning(w)
        for f in report.failures:
            st.error(str(f))
        if not report.failures:
            st.success(f"Архив «{report.name}» создан и проверен на каждом носителе.")
    except ArchiveError as e:
        st.error(str(e))
