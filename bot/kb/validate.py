"""``python -m bot.kb.validate [DIR]``: check every knowledge-base file (exit 1 on problems),
and list the entries due for a fresh check against their sources (a notice, exit 0)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from bot.kb._loader import validate_directory
from bot.kb.review import review


def main(argv: list[str] | None = None, *, today: dt.date | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "directory",
        nargs="?",
        type=Path,
        help="knowledge-base directory (default: settings.kb.procedures_dir / KB_DIR)",
    )
    parser.add_argument(
        "--review-after",
        type=int,
        metavar="DAYS",
        help="list entries checked longer ago (default: settings.kb.review_after_days / "
        "KB_REVIEW_AFTER_DAYS)",
    )
    args = parser.parse_args(argv)
    directory, after_days = args.directory, args.review_after
    if directory is None or after_days is None:
        from bot.settings import load_settings

        kb = load_settings().kb
        directory = directory or kb.procedures_dir
        after_days = kb.review_after_days if after_days is None else after_days
    procedures, problems = validate_directory(directory)
    due, future = review(procedures, today=today or dt.date.today(), after_days=after_days)
    problems += future
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    print(f"OK: {len(procedures)} procedures in {directory}")
    if due:
        print(f"due for a check against their sources (more than {after_days} days):")
        for entry in due:
            print(f"  {entry}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
