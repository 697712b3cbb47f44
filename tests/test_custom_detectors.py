"""End to end: LLM_SHIELD_DETECTORS and LLM_SHIELD_GITLEAKS_CONFIG change what a guarded
route blocks, redacts and signals, buffered and streamed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response

from flask_llm_shield import ConfigError, LLMShield, guarded_llm_route
from flask_llm_shield.detect import CustomDetector, GitleaksRuleWarning

from .conftest import SignalRecorder

GITLEAKS = Path(__file__).parent / "data" / "gitleaks_small.toml"
BADGE = "EMP-482913"
ACME = "acme_" + "k3v9x0q2m7b1n8c4z6w5r2t9y1u3i7o0"
BADGE_SPEC = {
    "kind": "staff_badge",
    "pattern": r"\bEMP-\d{6}\b",
    "category": "identifier",
    "context": ["badge", "employee"],
    "label": "[STAFF-BADGE]",
    "allow": ["EMP-000000"],
}


def routes(app: Flask, shield: LLMShield, reply: str, allow: str = "staff_badge") -> Flask:
    @app.get("/block")
    @guarded_llm_route
    def block() -> dict[str, str]:
        return {"answer": reply}

    @app.get("/redact")
    @guarded_llm_route(mode="redact")
    def redact() -> dict[str, str]:
        return {"answer": reply}

    @app.get("/allowed")
    @guarded_llm_route(allow_kinds={allow})
    def allowed() -> dict[str, str]:
        return {"answer": reply}

    @app.get("/stream")
    @guarded_llm_route
    def stream() -> Response:
        def chars() -> Iterator[str]:
            yield from reply

        return shield.stream_response(chars(), "text/plain")

    return app


@pytest.mark.parametrize("config", ["mapping", "instance"])
def test_configured_detector_blocks_a_route_that_passed_before(
    app_factory: Callable[..., Flask],
    shield: LLMShield,
    signal_recorder: SignalRecorder,
    config: str,
) -> None:
    reply = f"Your employee badge is {BADGE}."
    detector: Any = BADGE_SPEC if config == "mapping" else CustomDetector(**BADGE_SPEC)
    # (Routes naming a custom kind in their options are declared once the kind is known:
    # after init_app for a config mapping, after constructing the CustomDetector.)
    app = routes(app_factory(LLM_SHIELD_DETECTORS=[detector]), shield, reply)
    before = Flask("before")
    other = LLMShield(before)
    routes(before, other, reply, "email")
    assert before.test_client().get("/block").status_code == 200
    client = app.test_client()
    blocked = client.get("/block")
    assert blocked.status_code == 400
    assert blocked.get_json()["findings"] == [{"kind": "staff_badge", "path": "/answer"}]
    assert BADGE not in blocked.get_data(as_text=True)
    [event] = signal_recorder.named("response-blocked")
    assert [kind for kind, _path, _fp in event["findings"]] == ["staff_badge"]
    assert BADGE not in repr(signal_recorder.events)

    redacted = client.get("/redact").get_json()
    assert redacted == {"answer": "Your employee badge is [STAFF-BADGE]."}
    assert client.get("/allowed").status_code == 200

    streamed = client.get("/stream").get_data(as_text=True)
    assert BADGE[4:] not in streamed
    assert streamed.startswith("Your employee badge is ")

    # The allow-listed example and a number without the context words pass.
    for text in ("employee badge EMP-000000", "order EMP-482913 shipped"):
        ok = routes(app_factory(LLM_SHIELD_DETECTORS=[BADGE_SPEC]), shield, text)
        assert ok.test_client().get("/block").status_code == 200


def test_gitleaks_config_changes_what_a_route_blocks(
    app_factory: Callable[..., Flask], shield: LLMShield
) -> None:
    reply = f"The ACME token is {ACME}; the DSN is dsn=app/Qz8#pLm2vX@db1."
    with pytest.warns(GitleaksRuleWarning) as warned:
        app = routes(
            app_factory(LLM_SHIELD_GITLEAKS_CONFIG=str(GITLEAKS)), shield, reply, "acme_api_token"
        )
    assert {str(w.message).split("'")[1] for w in warned} == {"needs-lookahead", "path-only"}
    before = Flask("before")
    other = LLMShield(before)
    routes(before, other, reply, "email")
    assert before.test_client().get("/block").status_code == 200
    client = app.test_client()
    blocked = client.get("/block")
    assert blocked.status_code == 400
    assert {f["kind"] for f in blocked.get_json()["findings"]} == {
        "acme_api_token",
        "internal_db_password",
    }
    body = client.get("/redact").get_data(as_text=True)
    assert ACME not in body
    assert "Qz8#pLm2vX" not in body
    assert json.loads(body)["answer"] == (
        "The ACME token is [REDACTED:acme_api_token]; "
        "the DSN is dsn=app/[REDACTED:internal_db_password]@db1."
    )
    assert client.get("/allowed").status_code == 400  # the DSN password is still blocked


def test_config_kind_lists_accept_custom_kinds(
    app_factory: Callable[..., Flask], shield: LLMShield
) -> None:
    reply = f"employee badge {BADGE}"
    app = app_factory(LLM_SHIELD_DETECTORS=[BADGE_SPEC], LLM_SHIELD_ALLOW_KINDS=["staff_badge"])
    assert routes(app, shield, reply).test_client().get("/block").status_code == 200
    shield2 = LLMShield()
    only = Flask("only")
    only.config.update(LLM_SHIELD_DETECTORS=[BADGE_SPEC], LLM_SHIELD_KINDS=["staff_badge"])
    shield2.init_app(only)
    routes(only, shield2, f"{reply} jane@acme-corp.io")
    assert only.test_client().get("/block").get_json()["findings"] == [
        {"kind": "staff_badge", "path": "/answer"}
    ]


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"LLM_SHIELD_DETECTORS": {"kind": "x_y", "pattern": "x"}}, "LLM_SHIELD_DETECTORS"),
        ({"LLM_SHIELD_DETECTORS": [{"kind": "x_y", "pattern": "("}]}, "LLM_SHIELD_DETECTORS"),
        ({"LLM_SHIELD_DETECTORS": [{"kind": "x_y"}]}, "LLM_SHIELD_DETECTORS"),
        ({"LLM_SHIELD_GITLEAKS_CONFIG": "/nonexistent/gitleaks.toml"}, "GITLEAKS"),
        ({"LLM_SHIELD_GITLEAKS_CONFIG": 3}, "GITLEAKS"),
    ],
)
def test_bad_detector_config_raises_naming_the_key(
    app_factory: Callable[..., Flask], config: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ConfigError, match=fragment):
        app_factory(**config)


def test_a_gitleaks_file_that_is_not_toml_is_a_config_error(
    app_factory: Callable[..., Flask], tmp_path: Path
) -> None:
    bad = tmp_path / "gitleaks.toml"
    bad.write_text("[[rules]\nid = ")
    with pytest.raises(ConfigError, match="LLM_SHIELD_GITLEAKS_CONFIG"):
        app_factory(LLM_SHIELD_GITLEAKS_CONFIG=str(bad))


def test_strip_groups_keeps_escapes_and_classes_and_ends_on_a_malformed_name() -> None:
    from flask_llm_shield.detect.custom import strip_groups

    assert (
        strip_groups(r"(a)(?P<n>b)(?<m>c)\(d\)[(]e[^]f(]g") == r"(?:a)(?:b)(?:c)\(d\)[(]e[^]f(]g"
    )
    # A name without its '>' once sent the walker back to the start, forever.
    assert strip_groups("(?P<x") == "(?P<x"
