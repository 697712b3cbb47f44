"""Every ``LLM_SHIELD_*`` setting: one defaults table, validated once into ``ShieldConfig``.

``init_app`` calls ``app.config.setdefault`` for each key of :data:`DEFAULTS`, then
:func:`load_config` validates them; a bad value raises :class:`ConfigError` naming the key.
Each key is documented once, in the README's configuration table.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast, get_args

from .detect import CustomDetector, load_gitleaks
from .detect._types import is_known_kind, known_kinds
from .detect.custom import coerce, warn_skipped
from .errors import ConfigError

Mode = Literal["block", "redact", "report"]
ScanMode = Literal["off", "report", "redact", "block"]
InputMode = Literal["off", "report", "block"]
RedactionOperator = Literal["label", "mask", "pseudonym"]

MODES: tuple[str, ...] = get_args(Mode)
SCAN_MODES: tuple[str, ...] = get_args(ScanMode)
INPUT_MODES: tuple[str, ...] = get_args(InputMode)
OPERATORS: tuple[str, ...] = get_args(RedactionOperator)

DEFAULTS: dict[str, Any] = {
    "LLM_SHIELD_MODE": "block",
    "LLM_SHIELD_BLOCK_STATUS": 400,
    "LLM_SHIELD_RESPONSE_SCAN": "report",
    "LLM_SHIELD_MAX_SCAN_BYTES": 5 * 1024 * 1024,
    "LLM_SHIELD_KINDS": None,
    "LLM_SHIELD_ALLOW_KINDS": (),
    "LLM_SHIELD_REDACTION": "label",
    "LLM_SHIELD_FINGERPRINT_KEY": None,
    "LLM_SHIELD_STRICT_COLLECTIONS": True,
    "LLM_SHIELD_TRACK_WITHHELD": True,
    "LLM_SHIELD_CANARY": True,
    "LLM_SHIELD_INPUT_MODE": "block",
    "LLM_SHIELD_PROMPT_PII": "block",
    "LLM_SHIELD_MAX_VALUE_CHARS": 4000,
    "LLM_SHIELD_ALLOW_INSECURE_LLM": False,
    "LLM_SHIELD_STREAM_WINDOW": None,
    "LLM_SHIELD_DETECTORS": (),
    "LLM_SHIELD_GITLEAKS_CONFIG": None,
    "LLM_SHIELD_AUDIT_LOG": True,
    "LLM_SHIELD_AUDIT_COLLECTION": None,
    "LLM_SHIELD_AUDIT_SIZE": 16 * 1024 * 1024,
    "LLM_SHIELD_AUDIT_QUEUE": 10_000,
    "LLM_SHIELD_THROTTLE": None,
    "LLM_SHIELD_THROTTLE_STORAGE_URI": "memory://",
    "LLM_SHIELD_THROTTLE_KEY": None,
}


@dataclass(frozen=True, slots=True)
class ShieldConfig:
    """The validated settings of one app. Built once at ``init_app``; never mutated."""

    mode: Mode
    block_status: int
    response_scan: ScanMode
    max_scan_bytes: int
    kinds: frozenset[str] | None
    allow_kinds: frozenset[str]
    redaction: RedactionOperator
    fingerprint_key: bytes
    strict_collections: bool
    track_withheld: bool
    canary: bool
    input_mode: InputMode
    prompt_pii: ScanMode
    max_value_chars: int
    allow_insecure_llm: bool
    stream_window: int | None
    #: Custom detectors: those of ``LLM_SHIELD_DETECTORS``, then the usable rules of
    #: ``LLM_SHIELD_GITLEAKS_CONFIG``.
    detectors: tuple[CustomDetector, ...] = ()
    audit_log: bool = True
    audit_collection: str | None = None
    audit_size: int = 16 * 1024 * 1024
    audit_queue: int = 10_000
    #: Blocks and rejections allowed per client, in the ``limits`` notation; None: off.
    throttle: str | None = None
    throttle_storage_uri: str = "memory://"
    #: Returns the client's key; None: the remote address.
    throttle_key: Callable[[], str] | None = None


def _choice(key: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ConfigError(f"{key} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return cast(str, value)


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key} must be True or False, got {value!r}")
    return value


def _int(key: str, value: Any, *, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{key} must be an integer, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise ConfigError(f"{key} must be {bound}, got {value!r}")
    return value


def validate_kinds(where: str, value: Any) -> frozenset[str]:
    """Validate an iterable of finding kinds (a config key or a decorator option)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ConfigError(f"{where} must be a collection of finding kinds, got {value!r}")
    kinds = frozenset(value)
    unknown = sorted(k for k in kinds if not is_known_kind(k))
    if unknown:
        raise ConfigError(
            f"{where} has unknown finding kinds {unknown}; known kinds: {sorted(known_kinds())}"
        )
    return kinds


def validate_detectors(
    where: str, value: Any, gitleaks_where: str, gitleaks: Any
) -> tuple[CustomDetector, ...]:
    """Custom detectors (instances or mappings of their fields) and the usable rules of a
    gitleaks config file; a gitleaks rule that cannot be used is a warning, not an error."""
    try:
        detectors = coerce(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from None
    if gitleaks is not None:
        if not isinstance(gitleaks, str | Path):
            raise ConfigError(f"{gitleaks_where} must be a path to a gitleaks TOML file")
        try:
            rules, skipped = load_gitleaks(gitleaks)
        except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
            raise ConfigError(f"{gitleaks_where}: cannot load {gitleaks!s}: {exc}") from None
        warn_skipped(skipped)
        detectors += rules
    kinds = [d.kind for d in detectors]
    duplicate = sorted({k for k in kinds if kinds.count(k) > 1})
    if duplicate:
        raise ConfigError(f"{where}: several detectors report {', '.join(duplicate)}")
    return detectors


def validate_block_status(where: str, value: Any) -> int:
    return _int(where, value, minimum=400, maximum=599)


def load_config(raw: Mapping[str, Any]) -> ShieldConfig:
    """Validate the ``LLM_SHIELD_*`` keys of ``raw`` (an app's config) into a ShieldConfig."""
    key = raw["LLM_SHIELD_FINGERPRINT_KEY"]
    if key is None:
        secret = raw.get("SECRET_KEY")
        # Derive a distinct key so fingerprints never expose anything about SECRET_KEY;
        # without either, a per-process random key still makes fingerprints unguessable.
        if secret:
            base = secret if isinstance(secret, bytes) else str(secret).encode()
            fingerprint_key = hashlib.sha256(b"flask-llm-shield/fingerprint\x00" + base).digest()
        else:
            fingerprint_key = secrets.token_bytes(32)
    elif isinstance(key, str | bytes) and len(key) >= 16:
        fingerprint_key = key.encode() if isinstance(key, str) else key
    else:
        raise ConfigError(
            "LLM_SHIELD_FINGERPRINT_KEY must be a str or bytes of at least 16 characters"
        )

    # Custom kinds first: LLM_SHIELD_KINDS and LLM_SHIELD_ALLOW_KINDS may name them.
    detectors = validate_detectors(
        "LLM_SHIELD_DETECTORS",
        raw["LLM_SHIELD_DETECTORS"],
        "LLM_SHIELD_GITLEAKS_CONFIG",
        raw["LLM_SHIELD_GITLEAKS_CONFIG"],
    )
    throttle = raw["LLM_SHIELD_THROTTLE"]
    if throttle is not None and (not isinstance(throttle, str) or not throttle.strip()):
        raise ConfigError(
            f"LLM_SHIELD_THROTTLE must be a rate such as '5 per minute' or None, got {throttle!r}"
        )
    storage_uri = raw["LLM_SHIELD_THROTTLE_STORAGE_URI"]
    if not isinstance(storage_uri, str) or "://" not in storage_uri:
        raise ConfigError(
            "LLM_SHIELD_THROTTLE_STORAGE_URI must be a storage URI such as 'memory://', "
            f"'mongodb://...' or 'redis://...', got {storage_uri!r}"
        )
    throttle_key = raw["LLM_SHIELD_THROTTLE_KEY"]
    if throttle_key is not None and not callable(throttle_key):
        raise ConfigError("LLM_SHIELD_THROTTLE_KEY must be a callable returning a str, or None")

    kinds_raw = raw["LLM_SHIELD_KINDS"]
    window = raw["LLM_SHIELD_STREAM_WINDOW"]
    return ShieldConfig(
        mode=cast(Mode, _choice("LLM_SHIELD_MODE", raw["LLM_SHIELD_MODE"], MODES)),
        block_status=validate_block_status(
            "LLM_SHIELD_BLOCK_STATUS", raw["LLM_SHIELD_BLOCK_STATUS"]
        ),
        response_scan=cast(
            ScanMode,
            _choice("LLM_SHIELD_RESPONSE_SCAN", raw["LLM_SHIELD_RESPONSE_SCAN"], SCAN_MODES),
        ),
        max_scan_bytes=_int(
            "LLM_SHIELD_MAX_SCAN_BYTES", raw["LLM_SHIELD_MAX_SCAN_BYTES"], minimum=1
        ),
        kinds=None if kinds_raw is None else validate_kinds("LLM_SHIELD_KINDS", kinds_raw),
        allow_kinds=validate_kinds("LLM_SHIELD_ALLOW_KINDS", raw["LLM_SHIELD_ALLOW_KINDS"]),
        redaction=cast(
            RedactionOperator,
            _choice("LLM_SHIELD_REDACTION", raw["LLM_SHIELD_REDACTION"], OPERATORS),
        ),
        fingerprint_key=fingerprint_key,
        strict_collections=_bool(
            "LLM_SHIELD_STRICT_COLLECTIONS", raw["LLM_SHIELD_STRICT_COLLECTIONS"]
        ),
        track_withheld=_bool("LLM_SHIELD_TRACK_WITHHELD", raw["LLM_SHIELD_TRACK_WITHHELD"]),
        canary=_bool("LLM_SHIELD_CANARY", raw["LLM_SHIELD_CANARY"]),
        input_mode=cast(
            InputMode, _choice("LLM_SHIELD_INPUT_MODE", raw["LLM_SHIELD_INPUT_MODE"], INPUT_MODES)
        ),
        prompt_pii=cast(
            ScanMode, _choice("LLM_SHIELD_PROMPT_PII", raw["LLM_SHIELD_PROMPT_PII"], SCAN_MODES)
        ),
        max_value_chars=_int(
            "LLM_SHIELD_MAX_VALUE_CHARS", raw["LLM_SHIELD_MAX_VALUE_CHARS"], minimum=16
        ),
        allow_insecure_llm=_bool(
            "LLM_SHIELD_ALLOW_INSECURE_LLM", raw["LLM_SHIELD_ALLOW_INSECURE_LLM"]
        ),
        stream_window=None
        if window is None
        else _int("LLM_SHIELD_STREAM_WINDOW", window, minimum=1, maximum=1 << 20),
        detectors=detectors,
        audit_log=_bool("LLM_SHIELD_AUDIT_LOG", raw["LLM_SHIELD_AUDIT_LOG"]),
        audit_collection=_collection_name(
            "LLM_SHIELD_AUDIT_COLLECTION", raw["LLM_SHIELD_AUDIT_COLLECTION"]
        ),
        # MongoDB rounds a capped size up to a multiple of 256 and wants at least 4096.
        audit_size=_int("LLM_SHIELD_AUDIT_SIZE", raw["LLM_SHIELD_AUDIT_SIZE"], minimum=4096),
        audit_queue=_int(
            "LLM_SHIELD_AUDIT_QUEUE", raw["LLM_SHIELD_AUDIT_QUEUE"], minimum=1, maximum=1 << 24
        ),
        throttle=throttle,
        throttle_storage_uri=storage_uri,
        throttle_key=throttle_key,
    )


def _collection_name(key: str, value: Any) -> str | None:
    if value is None:
        return None
    if (
        not isinstance(value, str)
        or not value
        or len(value) > 120
        or "$" in value
        or "\x00" in value
        or value.startswith("system.")
    ):
        raise ConfigError(
            f"{key} must be None or a MongoDB collection name (no '$', not 'system.*'), "
            f"got {value!r}"
        )
    return value
