"""flask-llm-shield: stop sensitive data from leaking through LLM features of Flask apps."""

from __future__ import annotations

from .detect import (
    CustomDetector,
    Finding,
    GitleaksRuleWarning,
    InjectionVerdict,
    Scanner,
    detect_injection,
)
from .errors import (
    ConfigError,
    DatabaseError,
    DatabaseUnavailableError,
    InsecureLLMEndpointError,
    LeakBlockedError,
    LLMUnavailableError,
    NotInitialisedError,
    PromptRejectedError,
    QueryRefusedError,
    ReadOnlyAccessorError,
    SensitiveFieldError,
    SensitivePromptValueError,
    ShieldError,
    ThrottledError,
    UnregisteredCollectionError,
    UnsupportedPipelineError,
)
from .extension import LLMShield, current_shield, get_shield
from .guard import RouteOptions, guarded_llm_route
from .llm import GuardedLLM
from .mongo import ScopedCollection
from .prompts import PromptTemplate
from .schemas import sensitive

__all__ = [
    "ConfigError",
    "CustomDetector",
    "DatabaseError",
    "DatabaseUnavailableError",
    "Finding",
    "GitleaksRuleWarning",
    "GuardedLLM",
    "InjectionVerdict",
    "InsecureLLMEndpointError",
    "LLMShield",
    "LLMUnavailableError",
    "LeakBlockedError",
    "NotInitialisedError",
    "PromptRejectedError",
    "PromptTemplate",
    "QueryRefusedError",
    "ReadOnlyAccessorError",
    "RouteOptions",
    "Scanner",
    "ScopedCollection",
    "SensitiveFieldError",
    "SensitivePromptValueError",
    "ShieldError",
    "ThrottledError",
    "UnregisteredCollectionError",
    "UnsupportedPipelineError",
    "current_shield",
    "detect_injection",
    "get_shield",
    "guarded_llm_route",
    "sensitive",
]
