"""A local stand-in for Quảng Ninh's one-stop system (hệ thống một cửa).

A separate program (``python -m simulator``) implementing docs/onestop-openapi.yaml over
a few hundred seeded dossiers, with statuses that move over time and switches for latency,
errors, outages and malformed answers. Nothing in ``bot/``, ``actions/`` or ``channels/``
imports it.
"""

from simulator._app import SimulatorConfig, create_app
from simulator._faults import Faults
from simulator._store import DossierStore

__all__ = ["DossierStore", "Faults", "SimulatorConfig", "create_app"]
