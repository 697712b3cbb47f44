from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from flask import Blueprint, Flask, abort, request
from flask.views import MethodView

from flask_llm_shield import ConfigError, LLMShield, RouteOptions, guarded_llm_route
from flask_llm_shield.guard import OPTIONS_ATTR

LEAK = {"summary": "SSN 123-45-6789, mail jane.doe@mailhost.com"}


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """A stand-in for flask-login's decorator: refuses requests without a token."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if request.headers.get("Authorization") != "Bearer ok":
            abort(401)
        return view(*args, **kwargs)

    return wrapper


def test_bare_and_called_forms_attach_frozen_options() -> None:
    @guarded_llm_route
    def bare() -> str:
        return ""

    @guarded_llm_route(mode="redact", allow_kinds={"email"}, block_status=451)
    def called() -> str:
        return ""

    assert getattr(bare, OPTIONS_ATTR) == RouteOptions()
    options = getattr(called, OPTIONS_ATTR)
    assert options.mode == "redact"
    assert options.allow_kinds == frozenset({"email"})
    assert options.block_status == 451
    with pytest.raises(AttributeError):
        options.mode = "block"
    assert called.__name__ == "called"


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"mode": "blok"}, "mode"),
        ({"allow_kinds": {"e-mail"}}, "allow_kinds"),
        ({"kinds": ["us_ssn", "passport"]}, "kinds"),
        ({"block_status": 302}, "block_status"),
        ({"redaction": "smudge"}, "redaction"),
        ({"inputs": [1]}, "inputs"),
    ],
)
def test_bad_options_fail_when_the_decorator_is_applied(
    options: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ConfigError, match=fragment):
        guarded_llm_route(**options)


def test_unknown_option_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        guarded_llm_route(moed="block")  # type: ignore[call-overload]


def test_route_options_override_app_config(app_factory: Callable[..., Flask]) -> None:
    app = app_factory(LLM_SHIELD_MODE="report", LLM_SHIELD_BLOCK_STATUS=422)

    @app.get("/default")
    @guarded_llm_route
    def default() -> dict[str, str]:
        return LEAK

    @app.get("/strict")
    @guarded_llm_route(mode="block", block_status=451)
    def strict() -> dict[str, str]:
        return LEAK

    client = app.test_client()
    assert client.get("/default").status_code == 200
    assert client.get("/strict").status_code == 451


def test_guard_above_route_decorator_still_guards(app: Flask) -> None:
    @guarded_llm_route
    @app.get("/above")
    def above() -> dict[str, str]:
        return LEAK

    assert app.test_client().get("/above").status_code == 400


def test_guard_above_route_decorator_guards_every_request(app: Flask) -> None:
    # The options found for a URL rule are remembered; later requests (and other rules)
    # must still get exactly their own.
    @guarded_llm_route(mode="redact")
    @app.get("/above/<int:n>")
    def above(n: int) -> dict[str, str]:
        return LEAK

    @app.get("/open")
    def open_view() -> dict[str, str]:
        return {"a": "clean"}

    client = app.test_client()
    for n in range(3):
        assert client.get("/open").status_code == 200
        body = client.get(f"/above/{n}").get_data(as_text=True)
        assert "[REDACTED:" in body


@pytest.mark.parametrize("order", ["guard-outer", "login-outer"])
def test_stacks_with_login_required_in_either_order(app: Flask, order: str) -> None:
    if order == "guard-outer":

        @app.get("/stacked")
        @guarded_llm_route
        @login_required
        def stacked() -> dict[str, str]:
            return LEAK

    else:

        @app.get("/stacked")
        @login_required
        @guarded_llm_route
        def stacked() -> dict[str, str]:
            return LEAK

    client = app.test_client()
    assert client.get("/stacked").status_code == 401
    response = client.get("/stacked", headers={"Authorization": "Bearer ok"})
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("response blocked")


def test_async_view_is_guarded(app: Flask) -> None:
    @app.get("/async")
    @guarded_llm_route(mode="redact")
    async def reply() -> dict[str, str]:
        return LEAK

    body = app.test_client().get("/async").get_json()
    assert "123-45-6789" not in body["summary"]
    assert "[REDACTED:us_ssn]" in body["summary"]


def test_blueprint_routes_are_guarded(app_factory: Callable[..., Flask]) -> None:
    bp = Blueprint("ai", __name__, url_prefix="/ai")

    @bp.get("/summary")
    @guarded_llm_route
    def summary() -> dict[str, str]:
        return LEAK

    @bp.get("/plain")
    def plain() -> dict[str, str]:
        return LEAK

    app = app_factory(LLM_SHIELD_RESPONSE_SCAN="off")
    app.register_blueprint(bp)
    client = app.test_client()
    assert client.get("/ai/summary").status_code == 400
    assert client.get("/ai/plain").status_code == 200


def test_method_view_methods_and_class_decorators(app: Flask) -> None:
    class Chat(MethodView):
        @guarded_llm_route
        def get(self) -> dict[str, str]:
            return LEAK

    class Summary(MethodView):
        decorators: ClassVar[list[Any]] = [guarded_llm_route(mode="redact")]

        def get(self) -> dict[str, str]:
            return LEAK

    app.add_url_rule("/chat", view_func=Chat.as_view("chat"))
    app.add_url_rule("/summary", view_func=Summary.as_view("summary"))
    client = app.test_client()
    assert client.get("/chat").status_code == 400
    response = client.get("/summary")
    assert response.status_code == 200
    assert "jane.doe@mailhost.com" not in response.get_data(as_text=True)


def test_shield_method_is_the_same_decorator(app: Flask, shield: LLMShield) -> None:
    @app.get("/m")
    @shield.guarded_llm_route(mode="block")
    def m() -> dict[str, str]:
        return LEAK

    assert app.test_client().get("/m").status_code == 400
