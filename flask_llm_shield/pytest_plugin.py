"""pytest plugin: probe an app's LLM routes from its own test suite.

Loaded through the ``pytest11`` entry point. It offers:

- the ``shield_probe`` fixture, built on the ``app`` fixture (pytest-flask's, or the
  project's own)::

      def test_no_leaks(shield_probe):
          report = shield_probe(suite="quick")
          assert not report.at_least("high"), report.summary()

      def test_no_leaks_short(shield_probe):
          shield_probe.assert_clean(fail_on="medium")

- ``--llm-shield-probe``: one extra test per guarded route of the app named by
  ``--llm-shield-app`` (``module:app`` or ``module:factory``; default: the ``llm_shield_app``
  ini option, then ``FLASK_APP``). ``--llm-shield-suite`` and ``--llm-shield-fail-on`` set
  the suite and the severity that fails a test (default: quick, high).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from .probe import SEVERITIES, SUITE_NAMES, ProbeReport, render, run_probe
from .probe.runner import app_knowledge, discover_targets

__all__ = ["ShieldProbe"]


class ShieldProbe:
    """What the ``shield_probe`` fixture returns: call it to probe the test app."""

    def __init__(self, app: Flask, *, suite: str = "quick", fail_on: str = "high") -> None:
        self.app = app
        self.suite = suite
        self.fail_on = fail_on
        self.report: ProbeReport | None = None

    def __call__(self, **options: Any) -> ProbeReport:
        """Run :func:`~flask_llm_shield.probe.run_probe` on the app; keep and return the
        report. ``options`` are its keyword arguments (``suite``, ``routes``, ``headers``...)."""
        options.setdefault("suite", self.suite)
        self.report = run_probe(self.app, **options)
        return self.report

    def assert_clean(self, fail_on: str | None = None, **options: Any) -> ProbeReport:
        """Probe, then fail with the text report when a finding reaches ``fail_on``."""
        report = self(**options)
        if report.at_least(fail_on or self.fail_on):
            raise AssertionError("LLM shield probe found leaks:\n" + render(report, "text"))
        return report


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("llm-shield", "flask-llm-shield probing")
    group.addoption(
        "--llm-shield-probe",
        action="store_true",
        default=False,
        help="add a probe test per guarded route of the app (see --llm-shield-app)",
    )
    group.addoption(
        "--llm-shield-app",
        default=None,
        metavar="MODULE:NAME",
        help="the Flask app or factory to probe (default: ini llm_shield_app, FLASK_APP)",
    )
    group.addoption(
        "--llm-shield-suite",
        default="quick",
        choices=SUITE_NAMES,
        help="probe suite of the shield_probe fixture and the probe tests",
    )
    group.addoption(
        "--llm-shield-fail-on",
        default="high",
        choices=SEVERITIES,
        help="severity from which a probe test fails",
    )
    parser.addini("llm_shield_app", "the Flask app or factory for --llm-shield-probe", default="")


@pytest.fixture
def shield_probe(request: pytest.FixtureRequest) -> ShieldProbe:
    """Probe the test's ``app`` fixture (pytest-flask's or the project's own)."""
    app = request.getfixturevalue("app")
    return ShieldProbe(
        app,
        suite=request.config.getoption("--llm-shield-suite"),
        fail_on=request.config.getoption("--llm-shield-fail-on"),
    )


def load_app(spec: str) -> Flask:
    """``module:name`` (an app, or a factory called without arguments) -> the app."""
    module_name, _, attr = spec.partition(":")
    module = importlib.import_module(module_name)
    candidates = [attr] if attr else ["app", "application", "create_app", "make_app"]
    for name in candidates:
        obj = getattr(module, name, None)
        if isinstance(obj, Flask):
            return obj
        if callable(obj):
            made = obj()
            if isinstance(made, Flask):
                return made
    raise pytest.UsageError(f"--llm-shield-app {spec!r} names no Flask app or factory")


def _app_spec(config: pytest.Config) -> str:
    spec = config.getoption("--llm-shield-app") or config.getini("llm_shield_app")
    spec = spec or os.environ.get("FLASK_APP", "")
    if not spec:
        raise pytest.UsageError(
            "--llm-shield-probe needs the app: pass --llm-shield-app MODULE:NAME, set the "
            "llm_shield_app ini option, or FLASK_APP"
        )
    return str(spec)


class ProbeRouteItem(pytest.Item):
    """One guarded route's share of the probe run."""

    def __init__(self, *, route: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.route = route

    def runtest(self) -> None:
        collector = self.parent
        assert isinstance(collector, ProbeCollector)
        report = collector.report()
        mine = ProbeReport(
            report.suite,
            [t for t in report.targets if t.name == self.route],
            [x for x in report.exchanges if x.route == self.route],
            [f for f in report.findings if f.route == self.route],
            report.duration_s,
        )
        if mine.at_least(self.config.getoption("--llm-shield-fail-on")) or mine.unreachable:
            raise ProbeFailed(render(mine, "text"))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ProbeFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"llm-shield probe {self.route}"


class ProbeFailed(AssertionError):
    """A probe test found leaks at or above the failing severity."""


class ProbeCollector(pytest.Collector):
    """The guarded routes of one app. They are probed in one run, on the first test that
    needs it: a value the scoped accessor withholds on one route is then known when
    another route's reply is judged, as with ``flask shield probe``."""

    def __init__(self, *, app: Flask, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.app = app
        self._report: ProbeReport | None = None

    def report(self) -> ProbeReport:
        if self._report is None:
            self._report = run_probe(self.app, suite=self.config.getoption("--llm-shield-suite"))
        return self._report

    def collect(self) -> Iterator[pytest.Item]:
        with self.app.app_context():
            targets = discover_targets(self.app, app_knowledge(self.app))
        for target in targets:
            yield ProbeRouteItem.from_parent(self, name=f"probe[{target.name}]", route=target.name)


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    if not config.getoption("--llm-shield-probe"):
        return
    app = load_app(_app_spec(config))
    collector = ProbeCollector.from_parent(session, name="llm-shield", app=app)
    items.extend(collector.collect())
