"""The one error a person can cause while archiving: its message is plain Russian and says what to do."""

from __future__ import annotations


class ArchiveError(Exception):
    """Unusable input or a failed write; nothing half-written is left under an archive's name."""
