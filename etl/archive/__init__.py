"""Year-end archive with integrity control (regulation 2.15–2.17, 3.2, 3.3; issue 9).

    generate_keypair(private: Path) -> GeneratedKey                      # zavuch archive keygen
    create_archive(db, destinations, key_path, year, *, school_id=None, created_by=None, retention=None,
                   document_date=None, now=None, allow_single=False, norms=None, on_step=...) -> CreateReport
    verify(folder, pubkey=None) -> Verification                          # .ok, .problems (kind, path, message)
    restore_archive(folder, db, pubkey=None) -> RestoreReport
    write_copy(folder, destination, name) -> Verification                # one more verified copy of an archive

Every error a person can cause is an ArchiveError with a Russian message. Nothing here imports streamlit.
"""

from etl.archive.copies import write_copy
from etl.archive.create import CreateReport, create_archive, find_year
from etl.archive.errors import ArchiveError
from etl.archive.keys import DEFAULT_KEY_PATH, GeneratedKey, generate_keypair, resolve_key_path
from etl.archive.restore import RestoreReport, restore_archive
from etl.archive.verify import Problem, Verification, verify

__all__ = [
    "DEFAULT_KEY_PATH",
    "ArchiveError",
    "CreateReport",
    "GeneratedKey",
    "Problem",
    "RestoreReport",
    "Verification",
    "create_archive",
    "find_year",
    "generate_keypair",
    "resolve_key_path",
    "restore_archive",
    "verify",
    "write_copy",
]
