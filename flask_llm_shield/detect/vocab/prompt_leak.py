"""Prompt-leak vocabularies: chat-template tokens, disclosure phrases, refusal words.

Scored by :mod:`..prompt_leak`; a new template family, disclosure phrasing or language is
added here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "APOS",
    "CONTROL_TOKEN_FAMILIES",
    "DISCLOSURE",
    "DISCLOSURE_GATE",
    "DISCLOSURE_LANGUAGES",
    "DOCUMENTATION_CUE",
    "GENERIC_SYSTEM_LINE",
    "MENTION_FOLLOWERS",
    "MENTION_LEADERS",
    "PLACEHOLDER",
    "REFUSAL_WORDS",
    "SYSTEM_SLOT",
    "DisclosureLanguage",
]

#: :func:`find_control_tokens` matches every one of them and also their HTML-escaped, spaced
#: and case variants, plus any other ``<|...|>``-style token (so new models are covered).
CONTROL_TOKEN_FAMILIES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "chatml": ("<|im_start|>", "<|im_end|>", "<|im_sep|>", "<|endoftext|>"),
        "phi3": ("<|system|>", "<|user|>", "<|assistant|>", "<|end|>"),
        "zephyr": ("<|system|>", "<|user|>", "<|assistant|>", "</s>"),
        "llama2": ("<s>", "</s>", "[INST]", "[/INST]", "<<SYS>>", "<</SYS>>"),
        "llama3": (
            "<|begin_of_text|>",
            "<|end_of_text|>",
            "<|start_header_id|>",
            "<|end_header_id|>",
            "<|eot_id|>",
            "<|eom_id|>",
            "<|python_tag|>",
        ),
        "mistral": (
            "[INST]",
            "[/INST]",
            "[SYSTEM_PROMPT]",
            "[/SYSTEM_PROMPT]",
            "[AVAILABLE_TOOLS]",
            "[/AVAILABLE_TOOLS]",
            "[TOOL_CALLS]",
            "[TOOL_RESULTS]",
            "[/TOOL_RESULTS]",
        ),
        "gemma": ("<start_of_turn>", "<end_of_turn>", "<bos>", "<eos>"),
        "alpaca": ("### Instruction:", "### Input:", "### Response:"),
        "vicuna": ("USER:", "ASSISTANT:", "SYSTEM:"),
        "deepseek": (
            "<\uff5cbegin\u2581of\u2581sentence\uff5c>",
            "<\uff5cend\u2581of\u2581sentence\uff5c>",
            "<\uff5cUser\uff5c>",
            "<\uff5cAssistant\uff5c>",
        ),
        "harmony": ("<|start|>", "<|message|>", "<|channel|>", "<|return|>", "<|call|>"),
    }
)


# Words that, right after a token, show the text *talks about* the token instead of using it.
MENTION_FOLLOWERS = frozenset(
    {
        "token",
        "tokens",
        "tag",
        "tags",
        "marker",
        "markers",
        "delimiter",
        "delimiters",
        "header",
        "headers",
        "special",
        "and",
        "or",
        "is",
        "are",
        "marks",
        "indicates",
        "denotes",
        "signals",
        "to",
        "in",
        "for",
        "with",
        "used",
        "do",
        "does",
        "mean",
        "means",
        "stand",
        "stands",
        "work",
        "works",
    }
)

# Words that, right before a token, show the text talks about it: "tokens like <|im_start|>".
MENTION_LEADERS = frozenset({"like", "as", "token", "tokens", "tag", "marker", "e.g.", "e.g.,"})

# Plain-language disclosures (case-insensitive), by language; ``APOS`` is either apostrophe.
APOS = "['\u2019]"
DISCLOSURE = (
    "(?:"
    # English
    r"\bmy\s+(?:(?:full|complete|actual|real|original|initial|hidden|secret|exact)\s+)?"
    r"(?:system\s*prompt|system\s+(?:message|instructions?)|(?:initial|original|hidden|secret)"
    r"\s+(?:prompt|instructions?)|instructions|prompt|guidelines|directives)"
    r"\s+(?:is|are|was|were|says|say|reads|read|states|state|tells?\s+me|goes|contains?"
    r"|begins?|starts?)\b"
    r"|\bI(?:\s+(?:was|have\s+been|am)|" + APOS + r"ve\s+been|" + APOS + r"m)\s+"
    r"(?:instructed|told\s+by\s+(?:my|the)\s+(?:system(?:\s+prompt|\s+message)?|developers?"
    r"|operators?|creators?)"
    r"|explicitly\s+instructed|specifically\s+instructed|configured\s+by\s+the\s+system"
    r"\s+prompt)\s+(?:to|not\s+to|that)\b"
    r"|\bhere(?:\s+(?:is|are)|" + APOS + r"s)\s+(?:my|the)\s+(?:full\s+|complete\s+|exact\s+)?"
    r"(?:system\s*prompt|system\s+(?:message|instructions?)|(?:initial|original|hidden)"
    r"\s+(?:prompt|instructions?))\b"
    r"|\bhere(?:\s+(?:is|are)|" + APOS + r"s)\s+my\s+(?:full\s+|complete\s+|exact\s+"
    r"|entire\s+|whole\s+)?(?:instructions|prompt)(?:,?\s+(?:word\s+for\s+word|verbatim"
    r"|in\s+full|exactly))?\s*[:\-\n]"
    r"|\bthe\s+(?:system\s*prompt|system\s+message|instructions?|prompt)\s+(?:that\s+)?"
    r"I(?:\s+was\s+given|" + APOS + r"ve\s+been\s+given|\s+have\s+been\s+given"
    r"|\s+received|\s+got|\s+was\s+provided)\b"
    r"|\b(?:as|like)\s+(?:instructed|stated|specified|described|defined|written|outlined"
    r"|required|mentioned)\s+(?:in|by)\s+my\s+(?:system\s*prompt|system\s+message"
    r"|instructions|prompt)\b"
    r"|\b(?:in|by|from)\s+my\s+(?:system\s*prompt|system\s+message|initial\s+instructions"
    r"|hidden\s+instructions)\b"
    r"|\bich\s+habe\s+(?:die\s+)?(?:anweisung|anweisungen|vorgabe|instruktion)\s+"
    r"(?:erhalten|bekommen)\b"
    r"|\b(?:tengo\s+instrucciones\s+de|recib[ií]\s+(?:la\s+)?instrucci[oó]n(?:es)?\s+de)"
    r"|\bj" + APOS + r"ai\s+re[cç]u\s+(?:pour\s+)?(?:l" + APOS + r"|la\s+|les\s+)?"
    r"(?:instruction|consigne)s?\b"
    r"|\bI\s+was\s+given\s+the\s+following\s+(?:system\s*prompt|instructions)\b"
    r"|\bmy\s+developers?\s+(?:told|instructed|asked)\s+me\b"
    # "my guidelines prevent me from ..." is an ordinary refusal; these name the prompt.
    r"|\b(?:according\s+to|as\s+per)\s+my\s+(?:system\s*prompt|system\s+message"
    r"|instructions|initial\s+instructions|configuration|directives)\b"
    r"|\bmy\s+(?:system\s*prompt|system\s+message|instructions|directives)\s+"
    r"(?:tells?|told|instructs?|instructed|asks?|asked|requires?|required|explicitly)\b"
    r"|\b(?:laut|gem(?:ä|ae)(?:ß|ss))\s+meine[nm]?\s+(?:Anweisungen|Systemprompt|System-Prompt"
    r"|Vorgaben|Instruktionen)\b"
    r"|\bseg[uú]n\s+mis\s+(?:instrucciones|indicaciones|directrices)"
    r"|\bseg[uú]n\s+mi\s+(?:prompt|mensaje)\s+(?:de|del)\s+sistema"
    r"|\b(?:selon|d" + APOS + r"apr[eè]s|conform[eé]ment\s+[aà])\s+mes\s+(?:instructions"
    r"|consignes|directives)\b"
    r"|\bselon\s+mon\s+(?:prompt|invite)\s+syst[eè]me"
    # German
    r"|\bmein\s+(?:System-?\s?prompt|Prompt|System-?Prompt)\s+(?:ist|lautet|lautete|besagt|sagt)\b"
    r"|\bmeine\s+(?:System-?)?(?:anweisungen|instruktionen|vorgaben|systemanweisung"
    r"|anweisung)\s+(?:sind|lauten|lautet|ist|besagen|besagt|waren)\b"
    r"|\bich\s+(?:wurde|bin)\s+(?:angewiesen|instruiert|beauftragt)\b"
    r"|\bmir\s+wurde\s+(?:gesagt|aufgetragen|befohlen|vorgegeben)\b"
    r"|\bhier\s+(?:sind|ist)\s+meine?\s+(?:System-?\s?prompt|anweisungen|instruktionen"
    r"|systemanweisungen|vorgaben)\b"
    # Spanish
    r"|\bmi\s+(?:prompt|mensaje|indicaci[oó]n|instrucci[oó]n)\s+(?:de|del)\s+sistema\s+"
    r"(?:es|dice|era|indica)\b"
    r"|\bmis\s+instrucciones\s+(?:son|dicen|eran|indican|establecen)\b"
    r"|\b(?:me\s+(?:indicaron|instruyeron|ordenaron|han\s+instruido|han\s+indicado)"
    r"|se\s+me\s+(?:indic[oó]|instruy[oó]|orden[oó]|ha\s+indicado|ha\s+instruido)"
    r"|fui\s+(?:instruid[oa]|programad[oa]|configurad[oa]))(?:\s|$)"
    r"|\baqu[ií]\s+(?:est[aá]n|tienes|va|est[aá])\s+mis?\s+(?:instrucciones|prompt)\b"
    # French
    r"|\bmon\s+(?:prompt|invite|message)\s+(?:syst[eè]me|du\s+syst[eè]me)\s+"
    r"(?:est|dit|indique|[eé]tait)\b"
    r"|\bmes\s+(?:instructions|consignes|directives)\s+(?:sont|disent|indiquent|[eé]taient"
    r"|pr[eé]cisent)\b"
    r"|\bon\s+m" + APOS + r"a\s+(?:demand[eé]|ordonn[eé]|indiqu[eé]|instruit|dit)\s+de\b"
    r"|\bj" + APOS + r"ai\s+[eé]t[eé]\s+(?:instruite?|programm[eé]e?|configur[eé]e?)\s+pour\b"
    r"|\bvoici\s+(?:mes|mon)\s+(?:instructions|consignes|prompt|invite)\b"
    # Families below: the assistant speaks of itself as configured, set up or given a
    # prompt (first-person passive of a configuration verb), in each language.
    r"|\bthe\s+(?:(?:hidden|secret|system|initial|original|internal|confidential|full)\s+)?"
    r"(?:instructions?|rules|guidelines|directives|configuration|prompt|setup"
    r"|system\s+message|text)\s+(?:that\s+)?I(?:\s+was|\s+have\s+been|" + APOS + r"ve\s+been"
    r"|\s+am|" + APOS + r"m)\s+(?:(?:set\s+up|configured|initiali[sz]ed|programmed|primed"
    r"|loaded|started|operating)\s+(?:with|under)|given|provided|handed)\b"
    r"|\bthe\s+(?:(?:hidden|secret|system|initial|original|internal)\s+)?(?:instructions?"
    r"|rules|guidelines|directives|prompt|configuration)\s+(?:that\s+)?(?:my|the)"
    r"\s+(?:developers?|operators?|creators?|company|admins?|owners?)\s+(?:gave|wrote"
    r"|set)\s+(?:me|for\s+me)\b"
    r"|\bI(?:\s+was|\s+have\s+been|" + APOS + r"ve\s+been|\s+am|" + APOS + r"m)\s+"
    r"(?:set\s+up|configured|initiali[sz]ed|primed|programmed|bootstrapped)\s+with\b"
    r"|\bI(?:\s+was|\s+have\s+been|" + APOS + r"ve\s+been)\s+(?:set\s+up|configured)"
    r"\s+(?:to|so\s+that|not\s+to)\b"
    r"|\bI(?:\s+was|\s+have\s+been|" + APOS + r"ve\s+been)\s+(?:given|handed|provided\s+with"
    r"|fed)\s+(?:a\s+|the\s+|some\s+|these\s+)?(?:following\s+)?(?:system\s*(?:prompt|message"
    r"|instructions?)|hidden\s+(?:prompt|instructions?)|secret\s+(?:prompt|instructions?)"
    r"|initial\s+(?:prompt|instructions?)|instructions|prompt|configuration|rules)\b"
    r"|\bmy\s+(?:(?:initial|original|hidden|system|internal|current|actual)\s+)?"
    r"(?:configuration|config|setup|set-up|hidden\s+instructions|operating"
    r"\s+instructions|rules|brief)\s+(?:says?|states?|reads?|tells?\s+me|contains?"
    r"|(?:is|are)\s+as\s+follows)\b"
    r"|\b(?:text|message|instructions?|prompt)\s+at\s+the\s+(?:very\s+)?(?:top|start"
    r"|beginning)\s+of\s+(?:this|the|our)\s+(?:chat|conversation|thread)\b"
    # someone with authority over the assistant told it something
    r"|\b(?:the|my)\s+(?:developers?|operators?|creators?|admins?|administrators?|company"
    r"|owners?|deployers?)(?:" + APOS + r"s)?\s+(?:(?:setup|configuration|instructions|brief"
    r"|briefing|rules|prompt)\s+(?:for\s+me\s+)?(?:reads?|says?|states?|tells?\s+me)"
    r"|(?:instructed|told|asked|directed|ordered|programmed|configured|wants?|wanted"
    r"|requires?|required|set\s+me\s+up|briefed)\s+(?:me\s+)?(?:to|not|never|so\s+that)\b)"
    r"|\bI(?:" + APOS + r"m|\s+am)\s+(?:operating|working|running|acting)\s+under\s+"
    r"(?:a|an|the|my|some)\s+(?:(?:hidden|secret|confidential|internal|system|private)\s+)?"
    r"(?:brief|briefing|instructions?|prompt|rules|configuration|directives?|guidelines)\b"
    r"|\bmir\s+wurde(?:\s+\w+){0,3}\s+(?:gesagt|aufgetragen|befohlen|vorgegeben|untersagt"
    r"|verboten)\b"
    r"|\bmeine\s+(?:System-?)?(?:vorgaben|anweisungen|konfiguration|instruktionen"
    r"|systemvorgaben|einstellungen)(?:\s+(?:vom|von|des|der)\s+\S+)?\s+(?:lauten|sind"
    r"|sagen|besagen|lauten|verlangen|verbieten"
    r"|erlauben|sehen\s+vor)\b"
    r"|\b(?:el|mi)\s+(?:operador|desarrollador|creador|administrador|programador)\s+me\s+"
    r"(?:indic[oó]|pidi[oó]|dijo|orden[oó]|instruy[oó]|prohibi[oó])"
    r"|\b(?:prompt|mensaje)\s+(?:de|del)\s+sistema\s+que\s+(?:tengo|recib[ií]"
    r"|me\s+dieron|me\s+pusieron)"
    r"|\b(?:instrucciones|indicaciones|reglas|directrices)\s+que\s+(?:tengo|recib[ií]"
    r"|me\s+dieron|me\s+dio)\b"
    r"|\bmi\s+configuraci[oó]n\s+(?:dice|indica|establece|es|me\s+pide)\b"
    r"|\b(?:mon|l" + APOS + r")\s*(?:op[eé]rateur|d[eé]veloppeur|cr[eé]ateur|administrateur)"
    r"\s+m" + APOS + r"a\s+(?:demand[eé]|dit|ordonn[eé]|indiqu[eé]|interdit)"
    r"|\b(?:consignes|instructions|r[eè]gles|directives)\s+(?:que\s+(?:mon|ma"
    r"|l['\x{2019}])\s*\S+\s+m['\x{2019}]a|qu['\x{2019}]on\s+m['\x{2019}]a)\s+donn[eé]"
    r"|\bma\s+configuration\s+(?:indique|dit|pr[eé]cise|stipule|est|pr[eé]voit)\b"
    r"|\b(?:setup|configuration|system|hidden|secret)\s+(?:text|prompt|instructions|message)"
    r"\s+(?:that\s+)?I\s+(?:run\s+on|operate\s+(?:on|under)|was\s+given|follow|work\s+with"
    r"|received)\b"
    r"|\bI(?:" + APOS + r"m|\s+am)\s+under\s+(?:strict\s+|explicit\s+|clear\s+)?"
    r"(?:instructions|orders)\b"
    r"|\b(?:beginning|start|first\s+(?:part|line|lines|sentence|words)|opening|rest)\s+of"
    r"\s+my\s+(?:system\s*prompt|instructions|prompt|configuration|system\s+message)\b"
    r"|\b(?:laut|gem(?:ä|ae)(?:ß|ss)|nach)\s+meiner\s+(?:Konfiguration|Systemanweisung"
    r"|Anweisung|Vorgabe|Einrichtung)\b"
    r"|\btengo\s+(?:instrucciones|[oó]rdenes|indicaciones)\s+(?:de|del|expl[ií]citas)\b"
    r"|\bj['\x{2019}]ai\s+(?:pour\s+)?(?:consigne|instruction|ordre)s?\s+(?:de|d['\x{2019}])"
    r"|\bman\s+hat\s+mir\s+(?:gesagt|aufgetragen|vorgegeben|befohlen|beigebracht"
    r"|mitgeteilt)\b"
    r"|\bich\s+(?:wurde|bin)\s+(?:so\s+)?(?:konfiguriert|programmiert|eingerichtet"
    r"|eingestellt)\b"
    r"|\b(?:text|wortlaut|inhalt)\s+(?:meiner|meines)\s+(?:System-?)?(?:anweisung(?:en)?"
    r"|prompts?|vorgaben|instruktionen|systemprompts?|konfiguration)\b"
    r"|\bmis\s+(?:instrucciones|indicaciones|reglas|directrices|normas)(?:\s+(?:del|de)"
    r"\s+sistema|\s+internas|\s+ocultas|\s+iniciales)\s+(?:dicen|son|establecen|indican"
    r"|me\s+piden|me\s+dicen|eran)\b"
    r"|\bme\s+(?:configuraron|programaron|inicializaron|han\s+configurado"
    r"|han\s+programado)\b"
    r"|\bcon\s+(?:el|la|los|las)\s+que\s+me\s+(?:configuraron|programaron|inicializaron"
    r"|instruyeron)\b"
    r"|\bmes\s+(?:consignes|instructions|directives|r[eè]gles)(?:\s+syst[eè]me"
    r"|\s+du\s+syst[eè]me|\s+internes|\s+cach[eé]es|\s+initiales)\s+(?:sont|disent"
    r"|indiquent|pr[eé]cisent|m" + APOS + r"imposent|me\s+demandent|[eé]taient)\b"
    r"|\bon\s+m" + APOS + r"a\s+(?:configur[eé]e?|programm[eé]e?|param[eé]tr[eé]e?"
    r"|initialis[eé]e?)"  # RE2 word boundaries are ASCII-only: no boundary after "é"
    r"|\b(?:texte|contenu)\s+de\s+(?:mon|mes|ma)\s+(?:prompt|invite|instructions|consignes"
    r"|configuration)\b"
    ")"
)

# Words right after "my system prompt is ..." that turn it into a refusal, not a disclosure.
REFUSAL_WORDS = frozenset(
    {
        "confidential",
        "private",
        "secret",
        "unavailable",
        "public",
        "shareable",
        "something",
        "protected",
        "classified",
        "proprietary",
        "vertraulich",
        "geheim",
        "\u00f6ffentlich",
        "confidencial",
        "privado",
        "privadas",
        "secreto",
        "secretas",
        "confidenciales",
        "p\u00fablico",
        "p\u00fablicas",
        "confidentiel",
        "confidentielles",
        "secr\u00e8tes",
        "priv\u00e9es",
        "publiques",
    }
)


# --- disclosures by concept -----------------------------------------------------------------
#
# A reply that hands over its hidden configuration frames it in a few ideas, whatever the
# wording: the text *before our chat*, *verbatim*, *my instructions* *as follows*, something
# the developer *gave me*. A clause that combines them is a disclosure (see
# ``prompt_leak._concept_spans``); a refusal in the same clause stands it down. Stems are
# lower-case (the reply is lower-cased, not accent-folded: write accented and plain forms).


@dataclass(frozen=True, slots=True)
class DisclosureLanguage:
    code: str
    word_start: bool
    #: the time before the conversation: "before our chat", "above our conversation"
    before_chat: tuple[str, ...]
    #: "verbatim", "word for word"
    verbatim: tuple[str, ...]
    #: "as follows", "the following"
    follows: tuple[str, ...]
    #: the assistant's own configuration: "my system prompt", "my instructions"
    self_config: tuple[str, ...]
    #: handing over: "here is", "this is exactly"
    present: tuple[str, ...]
    #: receiving it: "gave me", "I was given", "I received"
    given: tuple[str, ...]
    #: a refusal: "I can't share"
    refusal: tuple[str, ...]


DISCLOSURE_LANGUAGES: tuple[DisclosureLanguage, ...] = (
    DisclosureLanguage(
        code="en",
        word_start=True,
        before_chat=(
            "before our chat",
            "before our conversation",
            "before this chat",
            "before this conversation",
            "before the chat",
            "before the conversation",
            "before you arrived",
            "before you wrote",
            "before your first message",
            "before your message",
            "before you started",
            "above our conversation",
            "above our chat",
            "above this conversation",
            "above this chat",
            "at the top of this conversation",
            "at the top of our chat",
            "at the start of this conversation",
            "at the start of our chat",
            "ahead of this session",
            "ahead of our chat",
            "ahead of this chat",
            "prior to our chat",
            "prior to this conversation",
            "precedes our conversation",
            "preceding our conversation",
            "what i see before",
        ),
        verbatim=("verbatim", "word for word", "word-for-word", "exact wording", "exactly as"),
        follows=("as follows", "the following"),
        self_config=(
            "my system prompt",
            "my system message",
            "my system instructions",
            "my instructions",
            "my hidden instructions",
            "my initial instructions",
            "my original instructions",
            "my guidelines",
            "my configuration",
            "my setup",
            "my complete context",
            "my full context",
            "my prompt",
            "my operating instructions",
            "the full prompt i received",
            "the prompt i received",
            "the raw conversation buffer",
            "my context window",
            "the instructions i was given",
            "the prompt i was given",
        ),
        present=("here is", "here are", "here s", "this is", "these are", "below is", "below are"),
        given=(
            "gave me",
            "given to me",
            "i was given",
            "i ve been given",
            "i have been given",
            "i received",
            "i got",
            "i was told",
            "i was briefed",
            "i was handed",
            "provided to me",
            "i was set up",
            "handed to me",
            "set me up",
            "briefed me",
            "as it was given to me",
        ),
        refusal=(
            "can t",
            "cannot",
            "can not",
            "won t",
            "will not",
            "unable",
            "not able",
            "not allowed",
            "not permitted",
            "not supposed",
            "mustn t",
            "must not",
            "i m sorry",
            "i am sorry",
            "confidential",
            "not share",
            "not reveal",
            "not disclose",
        ),
    ),
    DisclosureLanguage(
        code="de",
        word_start=True,
        before_chat=(
            "vor dem chat",
            "vor unserem chat",
            "vor unserem gespräch",
            "vor dem gespräch",
            "vor unserer unterhaltung",
            "vor deiner nachricht",
            "vor ihrer nachricht",
            "über unserem gespräch",
            "am anfang des gesprächs",
            "vorab",
        ),
        verbatim=("wörtlich", "wortwörtlich", "wortgetreu", "im wortlaut", "wort für wort"),
        follows=("wie folgt", "folgende", "folgenden"),
        self_config=(
            "mein systemprompt",
            "mein system-prompt",
            "meine systemanweisung",
            "meine anweisungen",
            "meine vorgaben",
            "meine instruktionen",
            "meine konfiguration",
            "meine richtlinien",
        ),
        present=("hier ist", "hier sind", "das ist", "dies ist", "das sind", "dies sind"),
        given=(
            "hat mir",
            "haben mir",
            "wurde mir",
            "wurden mir",
            "mir gegeben",
            "mir mitgegeben",
            "ich habe erhalten",
            "ich erhielt",
            "ich bekam",
        ),
        refusal=(
            "kann nicht",
            "kann ich nicht",
            "darf nicht",
            "darf ich nicht",
            "leider",
            "vertraulich",
        ),
    ),
    DisclosureLanguage(
        code="es",
        word_start=True,
        before_chat=(
            "antes de nuestra conversación",
            "antes de nuestra conversacion",
            "antes del chat",
            "antes de la conversación",
            "antes de la conversacion",
            "antes de tu mensaje",
            "antes de nuestro chat",
            "encima de nuestra conversación",
            "al principio de la conversación",
        ),
        verbatim=("palabra por palabra", "textualmente", "literalmente", "al pie de la letra"),
        follows=("lo siguiente", "las siguientes", "los siguientes", "a continuación"),
        self_config=(
            "mi prompt de sistema",
            "mi prompt del sistema",
            "mis instrucciones",
            "mi mensaje de sistema",
            "mis indicaciones",
            "mi configuración",
            "mis directrices",
        ),
        present=(
            "aquí está",
            "aquí están",
            "aquí tienes",
            "este es",
            "esto es",
            "estas son",
            "estos son",
        ),
        given=(
            "me dio",
            "me dieron",
            "me escribieron",
            "recibí",
            "me dijeron",
            "me entregaron",
            "me fue dado",
        ),
        refusal=("no puedo", "no me está permitido", "no debo", "lo siento", "confidencial"),
    ),
    DisclosureLanguage(
        code="fr",
        word_start=True,
        before_chat=(
            "avant notre échange",
            "avant notre conversation",
            "avant la conversation",
            "avant le chat",
            "avant notre discussion",
            "avant ton message",
            "avant votre message",
            "précède notre conversation",
            "precede notre conversation",
            "au-dessus de notre conversation",
            "au début de la conversation",
        ),
        verbatim=("mot pour mot", "textuellement", "à la lettre", "verbatim", "mot à mot"),
        follows=(
            "les suivantes",
            "les suivants",
            "la suivante",
            "le suivant",
            "ci-dessous",
            "comme suit",
        ),
        self_config=(
            "mon prompt système",
            "mon prompt systeme",
            "mes instructions",
            "mes consignes",
            "mon message système",
            "ma configuration",
            "mes directives",
            "mes instructions système",
        ),
        present=("voici", "voilà", "c est", "ce sont"),
        given=(
            "m a donné",
            "m a donne",
            "m ont donné",
            "on m a",
            "j ai reçu",
            "j ai recu",
            "m a été donné",
            "m a fourni",
        ),
        refusal=(
            "je ne peux pas",
            "je ne peux",
            "je ne suis pas autorisé",
            "désolé",
            "desole",
            "confidentiel",
        ),
    ),
    DisclosureLanguage(
        code="it",
        word_start=True,
        before_chat=(
            "prima della chat",
            "prima della conversazione",
            "prima del tuo messaggio",
            "prima di questa conversazione",
        ),
        verbatim=("parola per parola", "testualmente", "alla lettera"),
        follows=("le seguenti", "i seguenti", "quanto segue", "come segue"),
        self_config=(
            "il mio prompt di sistema",
            "le mie istruzioni",
            "la mia configurazione",
            "le mie direttive",
        ),
        present=("ecco", "questo è", "queste sono"),
        given=(
            "ho ricevuto",
            "mi ha dato",
            "mi hanno dato",
            "mi è stato dato",
            "mi sono state date",
        ),
        refusal=("non posso", "mi dispiace", "riservat"),
    ),
    DisclosureLanguage(
        code="pt",
        word_start=True,
        before_chat=(
            "antes da conversa",
            "antes da nossa conversa",
            "antes do chat",
            "antes da sua mensagem",
        ),
        verbatim=("palavra por palavra", "textualmente", "literalmente"),
        follows=("as seguintes", "os seguintes", "o seguinte", "a seguir"),
        self_config=(
            "meu prompt de sistema",
            "minhas instruções",
            "minhas instrucoes",
            "minha configuração",
            "minhas diretrizes",
        ),
        present=("aqui está", "aqui estão", "estas são", "este é", "isto é"),
        given=("recebi", "me deu", "me deram", "me foi dado", "me foram dadas"),
        refusal=("não posso", "nao posso", "desculpe", "confidencia"),
    ),
    DisclosureLanguage(
        code="nl",
        word_start=True,
        before_chat=(
            "voor ons gesprek",
            "voor dit gesprek",
            "vóór ons gesprek",
            "voor de chat",
            "vooraf",
            "voorafgaand aan",
        ),
        verbatim=("woord voor woord", "letterlijk", "woordelijk"),
        follows=("als volgt", "de volgende", "het volgende"),
        self_config=(
            "mijn systeemprompt",
            "mijn instructies",
            "mijn configuratie",
            "mijn richtlijnen",
        ),
        present=("hier is", "hier zijn", "dit is", "dit zijn"),
        given=(
            "ik kreeg",
            "heb ik gekregen",
            "kreeg ik",
            "gaf mij",
            "gaf me",
            "heeft me gegeven",
            "ik ontving",
        ),
        refusal=("kan ik niet", "ik kan niet", "mag ik niet", "sorry", "vertrouwelijk"),
    ),
    DisclosureLanguage(
        code="pl",
        word_start=True,
        before_chat=(
            "przed rozmową",
            "przed naszą rozmową",
            "przed czatem",
            "przed twoją wiadomością",
        ),
        verbatim=("słowo w słowo", "dosłownie"),
        follows=("następujące", "następująco", "poniższe"),
        self_config=(
            "mój prompt systemowy",
            "moje instrukcje",
            "moja konfiguracja",
            "moje wytyczne",
        ),
        present=("oto", "to jest", "to są"),
        given=("dostałem", "dostałam", "otrzymałem", "otrzymałam", "dał mi", "dała mi", "dali mi"),
        refusal=("nie mogę", "przepraszam", "poufne"),
    ),
    DisclosureLanguage(
        code="ru",
        word_start=True,
        before_chat=(
            "перед нашим разговором",
            "перед разговором",
            "перед чатом",
            "перед нашим чатом",
            "до нашего разговора",
            "до начала разговора",
            "перед вашим сообщением",
            "перед твоим сообщением",
            "в начале разговора",
        ),
        verbatim=("дословно", "слово в слово", "буквально"),
        follows=("следующие", "следующее", "следующим образом", "ниже"),
        self_config=(
            "мой системный промпт",
            "мои инструкции",
            "мои системные инструкции",
            "моя конфигурация",
            "мои правила",
            "мои указания",
        ),
        present=("вот", "это мои", "это"),
        given=(
            "дал мне",
            "дали мне",
            "мне дали",
            "мне дал",
            "я получил",
            "я получила",
            "мне было дано",
            "мне сказали",
        ),
        refusal=("не могу", "извините", "к сожалению", "конфиденциальн"),
    ),
    DisclosureLanguage(
        code="zh",
        word_start=False,
        before_chat=(
            "对话开始前",
            "对话之前",
            "对话开始之前",
            "聊天之前",
            "聊天开始前",
            "對話開始前",
            "對話之前",
            "在我们对话前",
            "你的消息之前",
        ),
        verbatim=("逐字", "原文", "一字不差", "原封不动", "原樣", "原样"),
        follows=("如下", "以下是", "下面是"),
        self_config=(
            "我的系统提示",
            "我的系統提示",
            "我的指令",
            "我的指示",
            "我的设定",
            "我的設定",
            "我收到的提示",
            "我的系统指令",
        ),
        present=("以下是", "这是", "這是", "下面是"),
        given=("给了我", "給了我", "给我的", "給我的", "我收到", "我得到"),
        refusal=("不能", "无法", "無法", "抱歉", "不可以", "保密"),
    ),
    DisclosureLanguage(
        code="ja",
        word_start=False,
        before_chat=(
            "会話の前",
            "会話が始まる前",
            "チャットの前",
            "事前に",
            "会話の開始前",
            "あなたのメッセージの前",
        ),
        verbatim=("一字一句", "原文のまま", "そのまま", "逐語"),
        follows=("次のとおり", "次の通り", "以下のとおり", "以下の通り", "以下です"),
        self_config=(
            "私のシステムプロンプト",
            "私への指示",
            "私の指示",
            "私の設定",
            "私に与えられた指示",
        ),
        present=("こちらが", "これが", "以下が"),
        given=("与えられた", "受け取った", "渡された", "もらった"),
        refusal=("できません", "お答えできません", "申し訳", "機密"),
    ),
)


#: The gate before the concepts, for languages other than English (whose stems gate
#: themselves): one of these words is in every concept disclosure of the tables above. In
#: the scanner's ASCII pass other letters read "?" (``.`` here); a run of them (Cyrillic,
#: Chinese, Japanese) always opens the gate.
DISCLOSURE_GATE = (
    r"\b(?:vor (?:dem|unserem|unserer|deiner|ihrer)|vorab|meine? (?:system|anweisung|vorgaben"
    r"|instruktion|konfiguration|richtlinien)|antes (?:de nuestr|del chat|de la conversaci"
    r"|de tu mensaje|da conversa|da nossa|do chat|da sua)|encima de nuestra|mis? (?:prompt"
    r"|instrucciones|mensaje de sistema|indicaciones|configuraci|directrices)|avant (?:notre"
    r"|la conversation|le chat|ton message|votre message)|pr.c.de notre|au-dessus de notre"
    r"|au d.but de la conversation|mes (?:instructions|consignes|directives)|mon (?:prompt"
    r"|message syst)|ma configuration|prima (?:della chat|della conversazione|del tuo"
    r"|di questa)|le mie (?:istruzioni|direttive)|il mio prompt|la mia configurazione"
    r"|minhas? (?:instru|configura|diretrizes)|meu prompt|voor (?:ons|dit) gesprek"
    r"|voor de chat|v..r ons gesprek|vooraf|mijn (?:systeemprompt|instructies|configuratie"
    r"|richtlijnen)|przed (?:rozmow|nasz|czatem|twoj)|moje (?:instrukcje|wytyczne)|m.j prompt"
    r"|moja konfiguracja)"
    r"|\?{2,}"
)


# --- templates as documentation -----------------------------------------------------------

#: Placeholders that stand for a prompt in documentation: ``{system}``,
#: ``{{ system_message }}``, ``<SYSTEM_PROMPT>``, ``[YOUR SYSTEM PROMPT]``, ``${PROMPT}``,
#: ``{% ... %}``, an ellipsis.
PLACEHOLDER = (
    r"\{\{[^{}\n]{1,60}\}\}|\{%[^%\n]{0,80}%\}|\{[a-z_][a-z0-9_ .\-]{0,40}\}"
    r"|<(?:your |the |insert |add )?(?:system|user|assistant)[ _](?:prompt|message|instructions?"
    r"|input|query|question|text)(?:[ _]here)?>"
    r"|<(?:your|insert|add) [a-z0-9_ \-]{1,30}>|\[(?:your|insert|add) [a-z0-9_ \-]{1,30}\]"
    r"|\$\{?[a-z_][a-z0-9_]*\}?|\.\.\.|\x{2026}"
)
#: A generic one-line system message shown in documentation and code samples.
GENERIC_SYSTEM_LINE = (
    r"you are a (?:helpful|friendly|useful|harmless|polite|smart|concise)(?:,? (?:helpful"
    r"|friendly|harmless|honest|concise))*(?: ai)? (?:assistant|chatbot|bot)\.?"
    r"|you are chatgpt,? a large language model[^\n]{0,80}|you are an ai assistant\.?"
)
#: Words that show a generic system line is an example in documentation, not a transcript.
DOCUMENTATION_CUE = (
    r"\b(?:example|examples|template|format|fine-?tun\w*|sample|placeholder|jsonl|jinja"
    r"|tokenizer|sdk|snippet|for instance|e\.g\.|such as|looks like|like this|render)\b"
)
#: Where a template's system text starts (right after this match).
SYSTEM_SLOT = (
    r"<\|im_start\|>[ \t]*system\b|<\|start_header_id\|>[ \t]*system[ \t]*<\|end_header_id\|>"
    r"|<\|system\|>|<<sys>>|\[system_prompt\]|(?m:^)[ \t>]*system[ \t]*:"
    r"|(?m:^)#{2,4}[ \t]*(?:system|instructions?)[ \t]*:"
    r"|\"role\"\s*:\s*\"system\"\s*,\s*\"content\"\s*:"
)
