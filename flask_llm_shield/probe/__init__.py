"""Active probing of an app's LLM routes with the app's own detection engine.

``run_probe(app)`` sends the five sequential probes and a catalogue suite to every guarded
route and returns a :class:`ProbeReport`; :func:`render` writes it as text, JSON, SARIF
2.1.0 or JUnit XML.
"""

from __future__ import annotations

from .catalogue import CATALOGUE, DEFAULT_SUITE, SEQUENTIAL, SUITE_NAMES, ProbeSpec
from .judge import Evidence, Observation, Verdict, judge
from .results import Exchange, ProbeFinding, ProbeReport, Target
from .rules import RULES, SEVERITIES, Rule
from .runner import ProbeError, probes_for, render_probe, run_probe
from .writers import FORMATS, render

__all__ = [
    "CATALOGUE",
    "DEFAULT_SUITE",
    "FORMATS",
    "RULES",
    "SEQUENTIAL",
    "SEVERITIES",
    "SUITE_NAMES",
    "Evidence",
    "Exchange",
    "Observation",
    "ProbeError",
    "ProbeFinding",
    "ProbeReport",
    "ProbeSpec",
    "Rule",
    "Target",
    "Verdict",
    "judge",
    "probes_for",
    "render",
    "render_probe",
    "run_probe",
]
