"""PT Sans (OFL-1.1, ParaType) from the fontpkg-pt-sans package: a Cyrillic TTF that installs with the
project, so no document depends on the fonts of the machine (stack-notes §2.1)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

FAMILY = "PTSans"
_STYLES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}


def font_files() -> dict[str, Path]:
    """fpdf2 style ('', 'B', 'I', 'BI') → TTF path inside the installed package."""
    root = files("fontpkg_pt_sans") / "files"
    return {style: Path(str(root / f"PT_Sans-Web-{name}.ttf")) for style, name in _STYLES.items()}
