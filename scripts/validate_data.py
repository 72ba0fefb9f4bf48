"""`rasa data validate`, failing on any warning except the known false alarms below.

Rasa's validator only sees responses that rules and stories name. Six responses are
sent by other means, so its "not used" warning about them is expected:

* ``utter_default``, ``utter_out_of_scope`` and ``utter_sorry_offer_official``: sent by
  the custom actions ``action_fallback`` and ``action_out_of_scope`` (which also keep the
  miss for editors; the last answers a complaint about the bot);
* ``utter_anything_else`` and ``utter_ok``: sent by ``action_affirm`` and ``action_deny``
  (which answer a residence statement read as "ờ", or a code corrected by its digits read
  as "no", instead);
* ``utter_ask_dossier_code``: asked by the form ``dossier_form`` for its slot.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.training import rasa_env  # noqa: E402

EXPECTED = (
    "The utterance 'utter_default' is not used in any story or rule.",
    "The utterance 'utter_out_of_scope' is not used in any story or rule.",
    "The utterance 'utter_anything_else' is not used in any story or rule.",
    "The utterance 'utter_ok' is not used in any story or rule.",
    "The utterance 'utter_sorry_offer_official' is not used in any story or rule.",
    "The utterance 'utter_ask_dossier_code' is not used in any story or rule.",
)


def unexpected_warnings(output: str) -> list[str]:
    """The warning lines of a validator run that are not known false alarms."""
    return [
        line
        for line in output.splitlines()
        if "UserWarning" in line and not any(expected in line for expected in EXPECTED)
    ]


def main() -> int:
    rasa = str(Path(sys.executable).with_name("rasa"))
    proc = subprocess.run(
        [
            rasa,
            "data",
            "validate",
            "--data",
            "nlu_data",
            "--domain",
            "domain.yml",
            "--config",
            "config.yml",
        ],
        cwd=ROOT,
        env=rasa_env(ROOT),
        capture_output=True,
        text=True,
    )
    output = proc.stdout + proc.stderr
    bad = unexpected_warnings(output)
    if proc.returncode != 0 or bad:
        print(output[-6000:] if proc.returncode else "\n".join(bad), file=sys.stderr)
        print("validate: rasa data validate found problems", file=sys.stderr)
        return 1
    print(
        "validate: rasa data validate clean (known false alarms: utter_default, "
        "utter_out_of_scope, utter_sorry_offer_official, utter_anything_else, utter_ok, "
        "utter_ask_dossier_code)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
