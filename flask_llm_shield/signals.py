"""Blinker signals sent by flask-llm-shield.

Every signal is sent with the real application object as sender (never the
``current_app`` proxy), so connect receivers per app::

    from flask_llm_shield.signals import response_blocked

    @response_blocked.connect_via(app)
    def on_block(sender, endpoint, mode, findings, **extra): ...

``findings`` is always a tuple of ``(kind, path, fingerprint)`` tuples: the JSON pointer
(``None`` for plain text) and a keyed fingerprint, never the matched value.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent when a response was replaced by a block error.
#: Keyword arguments: ``endpoint`` (str | None), ``mode`` ("block"), ``findings``,
#: ``status`` (the HTTP status of the block response).
response_blocked = _signals.signal("response-blocked")

#: Sent when a response was redacted in place.
#: Keyword arguments: ``endpoint``, ``mode`` ("redact"), ``findings``.
response_redacted = _signals.signal("response-redacted")

#: Sent in report mode: the response went out unchanged but contained findings.
#: Keyword arguments: ``endpoint``, ``mode`` ("report"), ``findings``.
leak_detected = _signals.signal("leak-detected")

#: Sent when a response could not be scanned (scanner error, too large, undecodable,
#: unscannable stream). Keyword arguments: ``endpoint``, ``mode``, ``reason`` (a short
#: fixed string such as ``"too-large"``, ``"invalid-utf8"``, ``"scanner-error"``),
#: ``blocked`` (bool: whether the response was blocked because of it).
scan_failed = _signals.signal("scan-failed")

#: Sent when a scoped MongoDB read asked for a sensitive field and was refused.
#: Keyword arguments: ``endpoint``, ``collection``, ``fields`` (tuple of dotted paths).
sensitive_field_denied = _signals.signal("sensitive-field-denied")

#: Sent when sensitive fields were deliberately revealed with ``reveal=``.
#: Keyword arguments: ``endpoint``, ``collection``, ``fields``.
sensitive_field_revealed = _signals.signal("sensitive-field-revealed")

#: Sent once per (collection, field) when a document held a field that its schema does
#: not declare; the field was dropped. Keyword arguments: ``collection``, ``field``.
undeclared_field = _signals.signal("undeclared-field")

#: Sent when a collection without a registered schema is read in non-strict mode.
#: Keyword arguments: ``endpoint``, ``collection``.
unregistered_collection = _signals.signal("unregistered-collection")

#: Sent when user input was screened and refused or flagged before the view ran.
#: Keyword arguments: ``endpoint``, ``reasons`` (tuple of str), ``blocked`` (bool),
#: ``findings`` (for PII in input, else empty).
prompt_rejected = _signals.signal("prompt-rejected")

#: Sent when a guarded stream was ended early because of a finding.
#: Keyword arguments: ``endpoint``, ``mode``, ``findings``.
stream_terminated = _signals.signal("stream-terminated")

#: Sent after every guarded LLM call. Keyword arguments: ``endpoint``, ``model``
#: (str | None), ``streamed`` (bool), ``latency_ms`` (float), ``usage`` (dict of token
#: counts or None), ``findings`` (findings in the reply), ``outcome`` ("ok", "redacted",
#: "blocked", "error" when the call failed, "closed" when the client stopped a stream).
llm_call = _signals.signal("llm-call")
