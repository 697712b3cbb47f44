"""What a probe finding means: severity and mappings to OWASP and CWE (data only).

OWASP Top 10 for LLM Applications 2025: LLM01 prompt injection, LLM02 sensitive
information disclosure, LLM07 system prompt leakage. OWASP API Security Top 10 2023: API2
broken authentication, API4 unrestricted resource consumption, API8 security
misconfiguration. CWE-200 exposure of sensitive information, CWE-359 exposure of private
personal information, CWE-306 missing authentication for a critical function, CWE-754
improper check for exceptional conditions, CWE-1427 improper neutralisation of input used
for LLM prompting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["low", "medium", "high"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high")
SEVERITY_RANK: dict[str, int] = {"low": 1, "medium": 2, "high": 3}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    severity: Severity
    title: str
    help: str
    owasp_llm: tuple[str, ...] = ()
    owasp_api: tuple[str, ...] = ()
    cwe: tuple[str, ...] = ()

    @property
    def tags(self) -> tuple[str, ...]:
        return ("security", *self.owasp_llm, *self.owasp_api, *self.cwe)


_PROMPT_HELP = (
    "Build prompts with PromptTemplate (values are delimited and control tokens "
    "neutralised), keep secrets out of system prompts, and guard the route with "
    "@guarded_llm_route in block mode so prompt disclosures are stopped."
)

RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "LLMS001",
            "pii-disclosure",
            "high",
            "Personal data in an LLM response",
            "The reply carried personal data (kinds listed in the evidence). Read documents "
            "through shield.collection() so sensitive fields never reach the prompt, and "
            "guard the route with @guarded_llm_route.",
            owasp_llm=("LLM02",),
            cwe=("CWE-359", "CWE-200"),
        ),
        Rule(
            "LLMS002",
            "secret-disclosure",
            "high",
            "Secret in an LLM response",
            "The reply carried a credential or key. Keep secrets out of prompts and "
            "documents the model sees, rotate the exposed secret, and guard the route.",
            owasp_llm=("LLM02",),
            cwe=("CWE-200",),
        ),
        Rule(
            "LLMS003",
            "withheld-value-disclosure",
            "high",
            "A value the scoped accessor withheld reached the response",
            "A sensitive field's value (declared in the collection schema) came back in "
            "the reply. Do not pass raw documents to the model.",
            owasp_llm=("LLM02",),
            cwe=("CWE-359",),
        ),
        Rule(
            "LLMS004",
            "system-prompt-disclosure",
            "high",
            "System prompt disclosed",
            "The reply repeated the app's system prompt or chat-template markers of it. "
            + _PROMPT_HELP,
            owasp_llm=("LLM07", "LLM01"),
            cwe=("CWE-1427", "CWE-200"),
        ),
        Rule(
            "LLMS005",
            "canary-echo",
            "high",
            "Prompt canary echoed",
            "The canary planted in the system prompt came back: the model obeyed an "
            "instruction to reveal its prompt. " + _PROMPT_HELP,
            owasp_llm=("LLM07", "LLM01"),
            cwe=("CWE-1427",),
        ),
        Rule(
            "LLMS006",
            "role-token-reflection",
            "medium",
            "Chat-template control tokens pass through to the reply",
            "Injected role tokens (ChatML, Llama, Mistral, Gemma, Phi-3...) reached the "
            "model unneutralised and came back. " + _PROMPT_HELP,
            owasp_llm=("LLM01",),
            cwe=("CWE-1427",),
        ),
        Rule(
            "LLMS007",
            "exfiltration-link",
            "medium",
            "Reply carries an external markdown image or link built on request",
            "A markdown image or link to an external host in a reply is fetched by many "
            "clients without a click, sending whatever its URL holds. Strip or allow-list "
            "URLs in model output.",
            owasp_llm=("LLM01", "LLM02"),
            cwe=("CWE-1427",),
        ),
        Rule(
            "LLMS008",
            "identifier-disclosure",
            "low",
            "Database identifier in an LLM response",
            "The reply carried a MongoDB ObjectId. Internal identifiers help an attacker "
            "enumerate records; leave them out of prompts unless the feature needs them.",
            owasp_llm=("LLM02",),
            cwe=("CWE-200",),
        ),
        Rule(
            "LLMS009",
            "unauthenticated-endpoint",
            "high",
            "LLM endpoint answers without authentication",
            "The route answered a probe sent without the authentication headers given to "
            "the probe. Require authentication on every LLM endpoint.",
            owasp_api=("API2",),
            cwe=("CWE-306",),
        ),
        Rule(
            "LLMS010",
            "server-error",
            "medium",
            "LLM endpoint fails with a server error on hostile input",
            "The route answered 5xx to a probe. Handle unexpected input and model failures "
            "and answer a clear 4xx JSON error.",
            owasp_api=("API8",),
            cwe=("CWE-754",),
        ),
        Rule(
            "LLMS011",
            "stack-trace",
            "medium",
            "Error body exposes a stack trace",
            "An error body carried a stack trace or debugger page. Turn off debug mode and "
            "return JSON errors without internals.",
            owasp_api=("API8",),
            cwe=("CWE-200", "CWE-754"),
        ),
        Rule(
            "LLMS012",
            "input-echoed-in-error",
            "low",
            "Error body echoes the request input",
            "An error body repeated the probe's input. Error messages should name the "
            "problem, not repeat what was sent.",
            owasp_api=("API8",),
            cwe=("CWE-200",),
        ),
        Rule(
            "LLMS013",
            "unbounded-input",
            "low",
            "LLM endpoint accepts an oversized input",
            "A 256 KB message was accepted and sent on. Bound input size (for example with "
            "MAX_CONTENT_LENGTH and a per-field limit) before it reaches a paid model.",
            owasp_api=("API4",),
        ),
    )
}

#: Finding category (or kind) of the detection engine -> rule name.
CATEGORY_RULES: dict[str, str] = {
    "pii": "pii-disclosure",
    "secret": "secret-disclosure",
    "known_value": "withheld-value-disclosure",
    "identifier": "identifier-disclosure",
    "system_prompt": "system-prompt-disclosure",
    "canary": "canary-echo",
}
