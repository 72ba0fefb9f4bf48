"""Fault switches: added latency, error rate, outage, malformed answers, leaked fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MALFORMED_KINDS = ("truncated", "html", "bad_status", "not_object")


@dataclass(kw_only=True)
class Faults:
    latency_ms: float = 0.0  # added to every /api request
    jitter_ms: float = 0.0  # plus uniform 0..jitter
    error_rate: float = 0.0  # share of /api requests answered 500/503
    outage: bool = False  # every /api request answered 503
    malformed_rate: float = 0.0  # share of 200 answers with a broken body
    malformed_kind: str = "random"  # one of MALFORMED_KINDS or "random"
    # Answer with the unmasked name, phone and ID number, as a careless system might:
    # the client must drop and mask them anyway.
    leak_personal_data: bool = False

    def update(self, data: Mapping[str, Any]) -> None:
        """Apply a partial update (admin endpoint); unknown keys raise ValueError."""
        fields = {f.name: f for f in dataclasses.fields(self)}
        for key, value in data.items():
            if key not in fields:
                raise ValueError(f"unknown fault {key!r}")
            current = getattr(self, key)
            if isinstance(current, bool):
                value = (
                    value
                    if isinstance(value, bool)
                    else str(value).lower() in {"1", "true", "yes", "on"}
                )
            elif isinstance(current, float):
                value = float(value)
            else:
                value = str(value)
                if key == "malformed_kind" and value not in (*MALFORMED_KINDS, "random"):
                    raise ValueError(f"malformed_kind must be one of {MALFORMED_KINDS} or random")
            setattr(self, key, value)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
