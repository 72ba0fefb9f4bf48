"""Train the Rasa model only when its inputs changed.

The model is named after a hash of everything that shapes it: ``config.yml``,
``domain.yml``, every file under ``nlu_data/``, the NLU component code in ``bot/nlu/`` and
what it imports to read features (``bot/dossier_codes.py``: a code becomes a placeholder
word), and the dependency lock. A model with that name in ``models/`` (or in the per-user cache
``~/.cache/tro-ly-cong-dan/models``, shared between clones and CI runs) is reused as is.

    python -m bot.training            # train if needed, print the model path
    python -m bot.training --hash     # print the input hash only
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from bot.settings import PROJECT_ROOT

_INPUTS = (
    "config.yml",
    "domain.yml",
    "nlu_data",
    "bot/nlu",
    "bot/dossier_codes.py",
    "requirements/lock.txt",
)
_SKIP_DIRS = {"__pycache__"}


def cache_dir() -> Path:
    """Per-user cache shared by every clone of the project on this machine."""
    base = os.environ.get("TLCD_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "tro-ly-cong-dan"
    )
    return Path(base)


def _input_files(root: Path) -> Iterable[Path]:
    for name in _INPUTS:
        path = root / name
        if path.is_file():
            yield path
        elif path.is_dir():
            for sub in sorted(path.rglob("*")):
                if sub.is_file() and not (_SKIP_DIRS & set(sub.parts)) and sub.suffix != ".pyc":
                    yield sub


def files_hash(named: Iterable[tuple[str, Path]], *, prefix: bytes = b"") -> str:
    """A short hash of ``prefix`` and each file's name and contents, in the given order."""
    digest = hashlib.sha256(prefix)
    for name, path in named:
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def inputs_hash(root: Path = PROJECT_ROOT) -> str:
    """A short hash of the model's inputs (paths and contents)."""
    return files_hash((str(path.relative_to(root)), path) for path in _input_files(root))


def generate(root: Path, env: dict[str, str]) -> None:
    """Regenerate training data derived from the knowledge base, if the generator exists."""
    if (root / "bot" / "nlu" / "generate.py").exists():
        subprocess.run([sys.executable, "-m", "bot.nlu.generate"], cwd=root, env=env, check=True)


def rasa_env(root: Path = PROJECT_ROOT) -> dict[str, str]:
    """The environment for Rasa commands: the project importable, TensorFlow quiet."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    return env


def ensure_model(root: Path = PROJECT_ROOT, *, force: bool = False) -> Path:
    """Path of a model trained on the current inputs, training it if none exists."""
    env = rasa_env(root)
    generate(root, env)
    digest = inputs_hash(root)
    models = root / "models"
    models.mkdir(exist_ok=True)
    target = models / f"{digest}.tar.gz"
    cached = cache_dir() / "models" / f"{digest}.tar.gz"
    if target.exists() and not force:
        return target
    if cached.exists() and not force:
        shutil.copy2(cached, target)
        print(f"training.model.reused {cached}", file=sys.stderr)
        return target
    started = time.monotonic()
    rasa = Path(sys.executable).with_name("rasa")
    subprocess.run(
        [
            str(rasa),
            "train",
            "--config",
            "config.yml",
            "--domain",
            "domain.yml",
            "--data",
            "nlu_data",
            "--out",
            str(models),
            "--fixed-model-name",
            digest,
        ],
        cwd=root,
        env=env,
        check=True,
    )
    print(f"training.model.trained {target} in {time.monotonic() - started:.0f}s", file=sys.stderr)
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    shutil.copy2(target, tmp)
    tmp.replace(cached)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--hash", action="store_true", help="print the inputs hash and exit")
    parser.add_argument("--force", action="store_true", help="train even if a model exists")
    args = parser.parse_args(argv)
    if args.hash:
        print(inputs_hash())
        return 0
    print(ensure_model(force=args.force))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
