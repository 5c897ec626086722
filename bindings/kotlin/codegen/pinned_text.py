"""Rewrites of uniffi's generated Kotlin, each pinned to uniffi's text.

A rewrite names the text it replaces exactly (Cargo.lock pins uniffi). The
text must be found once in every file: when a uniffi upgrade changes it,
the build stops rather than leave the generated code unpatched or half
patched.
"""
import sys
from pathlib import Path
from typing import Sequence, Tuple

# (what it is, uniffi's text, the replacement)
Rewrite = Tuple[str, str, str]


def rewrite_files(script: str, usage: str, rewrites: Sequence[Rewrite]) -> None:
    """The command line of a rewrite script: every file it is given, each
    rewrite once."""
    if len(sys.argv) < 2:
        sys.exit(usage)
    for arg in sys.argv[1:]:
        path = Path(arg)
        text = path.read_text()
        for name, generated, replacement in rewrites:
            count = text.count(generated)
            if count != 1:
                sys.exit(f"{script}: {path}: expected uniffi's {name} once, "
                         f"found it {count} times (did uniffi change? update this script)")
            text = text.replace(generated, replacement)
        path.write_text(text)
