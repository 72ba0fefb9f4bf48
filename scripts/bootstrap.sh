#!/usr/bin/env bash
# Create (or reuse) the project's virtualenv from requirements/lock.txt.
#
# The environment is built once per lock in a per-user cache
# (~/.cache/tro-ly-cong-dan/venvs/<hash of lock + python>) and linked as .venv, so a second
# clone, a second `make test` or a CI run on the same machine starts in seconds.
# Rasa 3.6.21 declares Python <3.11; the lock pins every package, so it is installed with
# --no-deps --ignore-requires-python (see README, "Python 3.11").
#
# Usage: scripts/bootstrap.sh [--browser]   (--browser: also install Debian's chromium)
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
cache="${TLCD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tro-ly-cong-dan}"
lock="requirements/lock.txt"

say() { printf '%s\n' "bootstrap: $*" >&2; }
die() { say "error: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}

apt_updated=""
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq >/dev/null || return 1; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# --- a supported Python ----------------------------------------------------------------
pick_python() {
  if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
  for cand in python3.11 python3.10 python3; do
    if command -v "$cand" >/dev/null 2>&1; then echo "$cand"; return; fi
  done
  echo ""
}
py=$(pick_python)
[ -n "$py" ] || die "no python3 found. Install Python 3.11 (Debian 12: apt-get install python3 python3-venv)."
ver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
case "$ver" in
  3.10|3.11) ;;
  *) die "Python $ver is not supported: Rasa 3.6 and TensorFlow 2.12 need Python 3.10 or 3.11.
       Install python3.11 (Debian 12's default) and run again, or set PYTHON=/path/to/python3.11." ;;
esac

if ! "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  say "the venv module is missing; installing python3-venv"
  apt_install python3-venv || die "python3 -m venv is unavailable; install the python3-venv package."
fi

# --- system packages the tests use -------------------------------------------------------
if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  say "installing Debian's chromium (web chat browser test)"
  apt_install chromium || say "warning: could not install chromium; browser tests will fail"
fi

# --- the virtualenv ------------------------------------------------------------------------
hash=$( { cat "$lock"; "$py" -c 'import sys; print(sys.version)'; } | sha256sum | cut -c1-16)
venv="$cache/venvs/$hash"
marker=".tlcd-lock-$hash"

if [ -f ".venv/$marker" ]; then
  exit 0
fi
if [ -d .venv ] && [ ! -L .venv ]; then
  # A hand-made environment (a developer's own): bring it up to the lock in place.
  say "updating the existing .venv to the lock"
  .venv/bin/python -m pip install -q --no-deps --ignore-requires-python -r "$lock" 2>&1 \
    | { grep -v '^WARNING: Location' || true; }
  rm -f .venv/.tlcd-lock-*
  touch ".venv/$marker"
  exit 0
fi
if [ ! -f "$venv/$marker" ]; then
  say "creating the environment in $venv (first time for this lock: a few minutes)"
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$py" -m venv "$venv"
  # (grep drops pip's notes about this machine's unused local index folders)
  "$venv/bin/python" -m pip install -q --upgrade "pip==24.0" 2>&1 | { grep -v '^WARNING: Location' || true; }
  "$venv/bin/python" -m pip install -q --no-deps --ignore-requires-python -r "$lock" 2>&1 \
    | { grep -v '^WARNING: Location' || true; }
  "$venv/bin/python" -c "import rasa, rasa_sdk, underthesea, telegram, aiohttp, redis" \
    || die "the environment was installed but does not import; see the messages above"
  touch "$venv/$marker"
fi
if [ -e .venv ] || [ -L .venv ]; then
  rm -rf .venv
fi
ln -s "$venv" .venv
say "environment ready (.venv -> $venv)"
