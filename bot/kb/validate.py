"""``python -m bot.kb.validate [DIR]``: check every knowledge-base file (exit 1 on problems)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.kb._loader import validate_directory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "directory",
        nargs="?",
        type=Path,
        help="knowledge-base directory (default: settings.kb.procedures_dir / KB_DIR)",
    )
    args = parser.parse_args(argv)
    directory = args.directory
    if directory is None:
        from bot.settings import load_settings

        directory = load_settings().kb.procedures_dir
    procedures, problems = validate_directory(directory)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    print(f"OK: {len(procedures)} procedures in {directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
