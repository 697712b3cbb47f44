from __future__ import annotations

import pytest
from flask import Flask

from flask_llm_shield import LLMShield, NotInitialisedError, current_shield, get_shield
from flask_llm_shield.state import get_state


def test_init_app_registers_under_llm_shield(app: Flask, shield: LLMShield) -> None:
    # As in Flask-SQLAlchemy: the extension object itself, its per-app state beside it.
    assert app.extensions["llm_shield"] is shield
    assert get_state(app) is shield.get_state(app)
    assert not hasattr(shield, "app")


def test_constructor_with_app_initialises() -> None:
    app = Flask(__name__)
    shield = LLMShield(app)
    with app.app_context():
        assert current_shield == shield
        assert get_shield() is shield


def test_init_app_twice_raises_clear_error(app: Flask, shield: LLMShield) -> None:
    with pytest.raises(RuntimeError, match="already initialised"):
        shield.init_app(app)


def test_missing_init_app_has_clear_error() -> None:
    app = Flask(__name__)
    with app.app_context(), pytest.raises(NotInitialisedError, match="call init_app"):
        get_shield()


def test_one_instance_serves_two_apps_with_separate_config() -> None:
    shield = LLMShield()
    blocking = Flask("blocking")
    reporting = Flask("reporting")
    blocking.config["LLM_SHIELD_MODE"] = "block"
    reporting.config["LLM_SHIELD_MODE"] = "report"
    shield.init_app(blocking)
    shield.init_app(reporting)

    for app in (blocking, reporting):

        @app.get("/leak")
        @shield.guarded_llm_route
        def leak() -> dict[str, str]:
            return {"reply": "her SSN is 123-45-6789"}

    assert blocking.test_client().get("/leak").status_code == 400
    response = reporting.test_client().get("/leak")
    assert response.status_code == 200
    assert response.get_json() == {"reply": "her SSN is 123-45-6789"}
    assert get_state(blocking).config.mode == "block"
    assert get_state(reporting).config.mode == "report"


def test_cli_is_registered(app: Flask) -> None:
    assert "shield" in app.cli.commands
    result = app.test_cli_runner().invoke(args=["shield", "config"])
    assert result.exit_code == 0
    assert "LLM_SHIELD_MODE = 'block'" in result.output
    assert "test-secret-key" not in result.output


def test_cli_scan_reports_kinds_not_values(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["shield", "scan"], input="mail jane.doe@mailhost.com now\n")
    assert result.exit_code == 1
    assert "email" in result.output
    assert "jane.doe" not in result.output
    clean = runner.invoke(args=["shield", "scan"], input="nothing to see here\n")
    assert clean.exit_code == 0
