"""Prompt-leak vocabularies: chat-template tokens, disclosure phrases, refusal words.

Scored by :mod:`..prompt_leak`; a new template family, disclosure phrasing or language is
added here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["APOS", "CONTROL_TOKEN_FAMILIES", "DISCLOSURE", "MENTION_FOLLOWERS", "REFUSAL_WORDS"]

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
