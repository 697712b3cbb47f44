"""Prompt-injection screening of user input.

The text is folded into a few *views* (accents, case, look-alike letters and invisible
characters removed; leetspeak undone; spaced-out letters joined; base64, hex, rot13 and
reversed payloads decoded) and each view is matched against one RE2 pattern per rule.
Every rule carries a reason code and a weight; the score combines the strongest weight of
each reason as independent evidence, ``1 - prod(1 - w)``.

Reason codes are fixed strings; the verdict never contains any part of the input.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import html
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

import re2

from .prompt_leak import find_control_tokens

__all__ = ["REASONS", "InjectionVerdict", "detect_injection"]

#: Every reason code :func:`detect_injection` may report.
REASONS: tuple[str, ...] = (
    "instruction_override",
    "prompt_extraction",
    "role_play_jailbreak",
    "role_token",
    "delimiter_escape",
    "exfiltration",
    "encoded_payload",
)


@dataclass(frozen=True, slots=True)
class InjectionVerdict:
    """Outcome of :func:`detect_injection`.

    :param flagged: ``score >= threshold``.
    :param score: 0..1, the combined weight of the evidence found.
    :param reasons: sorted reason codes (see :data:`REASONS`); never any input text.
    """

    flagged: bool
    score: float
    reasons: tuple[str, ...]


# --- rule language ------------------------------------------------------------------------
#
# Rules are written against the folded view (lower case ASCII letters, accents removed).
# A space means "one or more non-alphanumerics", ``~`` means "optionally some", and ``_W``
# stands for one filler word. The same source is compiled a second time with every gap
# optional and word boundaries dropped, for text whose letters were spaced out and joined.

_GAP = "[^a-z0-9]+"
_OPT_GAP = "[^a-z0-9]*"
_FILL = "(?: [a-z]+)"

# Shared vocabularies (folded spellings).
_ANY_EN = r"(?:all|any|every|each|the|your|my|of|these|those|its|his|her|their|our|whole|entire)"
_SCOPE_EN = (
    r"(?:previous|previously|prior|preceding|above|earlier|former|initial|original|system"
    r"|old|existing|past|foregoing|before|developer|safety|hidden)"
)
_TARGET_EN = (
    r"(?:instructions?|prompts?|rules?|directions?|guidelines?|directives?|commands?|context"
    r"|messages?|constraints?|restrictions?|guardrails?|polic(?:y|ies)|programming|training"
    r"|orders?|filters?|text|content|conversation|input|limitations?|safeguards?"
    r"|principles|ethics|boundaries|protocols?)"
)
_STRONG_TARGET_EN = (
    r"(?:instructions?|rules|guidelines?|directives?|constraints|restrictions|guardrails"
    r"|programming|training|polic(?:y|ies)|filters|limitations|safeguards|principles"
    r"|boundaries|protocols?)"
)
_OVERRIDE_VERB_EN = (
    r"(?:ignore|ignoring|disregard|disregarding|forget|forgetting|skip|override|bypass"
    r"|neglect|discard|overlook|set aside|pay no attention to|do not follow|don~t follow"
    r"|dont follow|stop following|no longer follow|throw away|throw out|abandon|circumvent"
    r"|violate|overwrite|scrap|dismiss|nullify)"
)
_REVEAL_VERB_EN = (
    r"(?:reveal|repeat|print|show|display|output|tell|give|share|disclose|leak|dump"
    r"|write out|write down|recite|echo|spell out|list|paste|copy|provide|expose|return"
    r"|send|state|read out|read back|type out|summari[sz]e|translate|describe|explain"
    r"|what (?:is|are|was|were|s)|tell me what)"
)
_SECRET_PROMPT_EN = (
    r"(?:system ?prompt|system message|system instructions?|developer (?:message|prompt"
    r"|instructions?)|pre ?prompt|meta ?prompt|hidden (?:prompt|instructions?|rules|message)"
    r"|secret (?:prompt|instructions?|rules)|(?:initial|original|first|starting|opening"
    r"|previous|above|preceding|prior|earlier|underlying|confidential) (?:prompt"
    r"|instructions?|rules|guidelines|directives|configuration|system message)"
    r"|instructions you were given|rules you were given"
    r"|prompt you were given|instructions (?:above|before))"
)

_ANY_DE = r"(?:alle|allen|jegliche|jeglichen|samtliche|die|der|den|deine|deinen|ihre|ihren|meine)"
_SCOPE_DE = (
    r"(?:bisherigen?|vorherigen?|vorigen?|obigen?|fruheren?|vorangegangenen?|vorangehenden?"
    r"|ursprunglichen?|anfanglichen?|alten?|gegebenen?|system)"
)
_TARGET_DE = (
    r"(?:anweisungen|anweisung|instruktionen|regeln|befehle|vorgaben|richtlinien|anordnungen"
    r"|einschrankungen|beschrankungen|systemanweisungen|systemprompt|system prompt|prompt"
    r"|sicherheitsrichtlinien|filter|grenzen)"
)
_VERB_DE = (
    r"(?:ignoriere|ignorier|ignorieren sie|ignoriert|vergiss|vergessen sie|vergesst|missachte"
    r"|missachten sie|ubergehe|uberspringe|verwirf|verwerfe|umgehe|umgehen sie|losche"
    r"|setze (?:[a-z]+ )?ausser kraft|befolge (?:[a-z]+ )?nicht mehr|hor auf)"
)
_ANY_ES = r"(?:todas|todos|las|los|tus|sus|cualquier|cualquiera de|de|el|la|toda|mis)"
_SCOPE_ES = (
    r"(?:anteriores|previas|previos|precedentes|de arriba|iniciales|originales|del sistema"
    r"|de sistema|antiguas|dadas|recibidas|ocultas|de seguridad)"
)
_TARGET_ES = (
    r"(?:instrucciones|instruccion|reglas|indicaciones|ordenes|directrices|normas"
    r"|restricciones|limitaciones|directivas|pautas|politicas|filtros|prompt|mensaje)"
)
_VERB_ES = (
    r"(?:ignora|ignore|ignorar|ignoren|olvida|olvide|olviden|olvidate de|olvidese de|descarta"
    r"|descarte|omite|omita|desobedece|desobedezca|haz caso omiso (?:a|de)|no sigas|no siga"
    r"|deja de seguir|salta|saltate|anula|anule|elimina|borra|pasa por alto|evita|evade"
    r"|sobrescribe)"
)
_ANY_FR = r"(?:toutes|tous|les|tes|vos|ces|des|de|la|le|l|ta|ton|votre|mes)"
_SCOPE_FR = (
    r"(?:precedentes|precedents|anterieures|anterieurs|ci dessus|initiales|initiaux"
    r"|d origine|originales|du systeme|systeme|donnees|recues|cachees|de securite)"
)
_TARGET_FR = (
    r"(?:instructions|instruction|consignes|consigne|regles|directives|ordres|indications"
    r"|restrictions|limitations|politiques|filtres|prompt|invite|message)"
)
_VERB_FR = (
    r"(?:ignore|ignorez|ignorer|oublie|oubliez|oublier|neglige|negligez|ne tiens pas compte"
    r"|ne tenez pas compte|ne tiens plus compte|ne tenez plus compte|fais abstraction"
    r"|faites abstraction|outrepasse|outrepassez|contourne|contournez|annule|annulez|efface"
    r"|effacez|passe outre|passez outre|ne suis plus|ne suivez plus|ne respecte plus"
    r"|ne respectez plus|abandonne|abandonnez)"
)

_EXFIL_VERB = (
    r"(?:send|post|upload|forward|transmit|email|e mail|exfiltrate|leak|submit|curl|wget"
    r"|fetch|ping|beacon|make (?:a|an) (?:http |get |post )?request|encode"
    r"|sende|schicke|schick|ubermittle|poste|lade|leite|envia|manda|sube|publica|reenvia"
    r"|transmite|envoie|envoyez|transmets|transmettez|publie|televerse)"
)
_URLISH = (
    r"(?:https?|ftp) ?~|www |webhook|ngrok|requestbin|pipedream|burpcollaborator|interact sh"
    r"|this (?:url|link|address|endpoint|server|webhook)|the following (?:url|link|address"
    r"|endpoint)|my (?:server|endpoint|url|webhook)|an external"
    r"|attacker|evil|diese (?:url|adresse)|folgende (?:url|adresse)|meinen server"
    r"|esta (?:url|direccion)|la siguiente url|mi servidor|cette (?:url|adresse)|l url suivante"
    r"|mon serveur"
)
_EXFIL_OBJECT = (
    r"(?:conversation|chat|history|data|information|info|results?|answers?|responses?"
    r"|secrets?|keys?|credentials|passwords?|emails?|contents?|details|messages?|prompt"
    r"|instructions|memory|context|everything|it|them|summary|transcript|logs?|files?"
    r"|documents?|tokens?|cookies?|records|database|daten|datos|donnees|verlauf|historial"
    r"|historique|contrasenas|mots de passe|passworter)"
)
_PEOPLE = (
    r"(?:users?|customers?|clients?|members?|employees?|accounts?|people|patients?|students?"
    r"|subscribers?|other users?|everyone|all users|benutzer|nutzer|kunden|mitarbeiter"
    r"|usuarios|clientes|empleados|utilisateurs|clients|employes|membres)"
)
_PERSONAL = (
    r"(?:emails?|e mails?|email addresses|addresses|passwords?|password hashes|phone numbers"
    r"|phones|ssns?|social security numbers?|credit cards?|card numbers|personal (?:data"
    r"|information|info|details)|records|data|details|api keys?|tokens?|credentials|private"
    r"|contact (?:details|info)|home addresses|salaries|birthdays|dates of birth|ids|logins"
    r"|e mail adressen|passworter|telefonnummern|daten|adressen|correos|contrasenas"
    r"|telefonos|datos|direcciones|adresses|mots de passe|numeros|donnees|courriels)"
)
_SECRETS = (
    r"(?:api ?keys?|secret keys?|access keys?|access tokens?|auth(?:entication)? tokens?"
    r"|bearer tokens?|credentials|connection strings?|database (?:password|credentials|uri"
    r"|dump|contents)|db (?:password|credentials)|private keys?|ssh keys?|session tokens?"
    r"|admin password|root password|mongodb uri|secrets)"
)
_SECRET_OWNER = (
    r"(?:your|the|the server s|the system s|the app s|the application s|the backend s"
    r"|the internal|the production|all the|all of the|all of your|all|any|stored|saved"
    r"|configured)"
)

# (reason, weight, pattern source)
_RULES: tuple[tuple[str, float, str], ...] = (
    # ---- instruction overrides -----------------------------------------------------------
    (
        "instruction_override",
        0.95,
        rf"\b{_OVERRIDE_VERB_EN}(?: {_ANY_EN}){{0,3}}(?: {_FILL})?(?: {_ANY_EN})?"
        rf" {_SCOPE_EN}(?: [a-z]+)? {_TARGET_EN}\b",
    ),
    (
        "instruction_override",
        0.9,
        rf"\b{_OVERRIDE_VERB_EN}(?: (?:all|any|every|each|your|of))+(?: {_SCOPE_EN})?"
        rf" {_STRONG_TARGET_EN}\b",
    ),
    (
        "instruction_override",
        0.9,
        rf"\b{_OVERRIDE_VERB_EN}(?: (?:all|any|every|the|of|everything|anything|what|that|you"
        rf"|were|was|have|been|i|we|said|told|written|stated|given|is|s))* (?:above|before"
        rf"|previously|earlier|so far|until now|up to now|prior|preceding)"
        rf"(?:[.,;:!\n]|$| and| instead| now| then| from| in| this| that| text| content"
        rf"| message| prompt| instructions| it| please)",
    ),
    (
        "instruction_override",
        0.9,
        r"\b(?:ignore|disregard|forget|override|bypass|disable|turn off|deactivate|remove"
        r"|switch off|lift|drop|circumvent|evade|get around|jailbreak)(?: (?:all|any|your|the"
        r"|of|its|these))*(?: (?:safety|content|ethical|moral|built in|openai|anthropic"
        r"|usage|ai) (?:filters?|guidelines|guardrails|restrictions|censorship|safeguards"
        r"|limitations|moderation|policies|programming|constraints|protections|rules"
        r"|training)| (?:guardrails|censorship|alignment|safeguards|moderation"
        r"|ethical guidelines|content policy))\b",
    ),
    (
        "instruction_override",
        0.75,
        r"\b(?:new|updated|real|actual|revised|true|override|overriding|priority|urgent"
        r"|important|admin|system|secret)(?: [a-z]+)? (?:instructions?|orders?|directives?"
        r"|rules|task|commands?|prompt|objective|goal|mission)~[:\-]",
    ),
    (
        "instruction_override",
        0.8,
        r"\b(?:system|admin|security|developer|emergency) (?:override|reset|update|alert)\b"
        r"|\boverride (?:code|mode|protocol|command)\b|\bend of (?:system )?instructions\b"
        r"|\b(?:your|the) (?:previous|old|original|initial|prior) (?:instructions|rules"
        r"|guidelines|directives|prompt) (?:are|is|were|have been) (?:no longer|not|now"
        r"|void|cancel|revoked|obsolete|outdated|invalid|replaced|overridden|suspended)",
    ),
    (
        "instruction_override",
        0.6,
        r"\b(?:from now on|from this point (?:on|forward)|henceforth|starting now"
        r"|for the rest of (?:this|the) conversation|instead of (?:that|your task)"
        r"|your (?:new|real|only|true) (?:task|job|role|purpose|goal|instructions?) (?:is|are"
        r"|will be))\b",
    ),
    # German
    (
        "instruction_override",
        0.95,
        rf"\b{_VERB_DE}(?: {_ANY_DE}){{0,3}}(?: {_SCOPE_DE})?(?: [a-z]+)? {_TARGET_DE}\b",
    ),
    (
        "instruction_override",
        0.9,
        rf"\b(?:{_ANY_DE} )?(?:{_SCOPE_DE} )+(?:[a-z]+ )?{_TARGET_DE} (?:[a-z]+ )?(?:ignorieren"
        rf"|vergessen|missachten|verwerfen|ubergehen|umgehen|ausser acht lassen|nicht mehr"
        rf" befolgen|nicht beachten)\b"
        rf"|\b(?:ignoriere|vergiss|missachte|ignorieren sie|vergessen sie) (?:alles|alle)"
        rf"(?: [a-z]+)? (?:oben|vorher|davor|bisher|bisherige|vorherige|obige|zuvor|gesagte)\b"
        rf"|\bneue (?:anweisungen|anweisung|regeln|aufgabe|befehle)~:"
        rf"|\bab (?:jetzt|sofort|nun) (?:bist|wirst|antwortest|gilt|sollst|musst) (?:du)?",
    ),
    # Spanish
    (
        "instruction_override",
        0.95,
        rf"\b{_VERB_ES}(?: {_ANY_ES}){{0,3}} {_TARGET_ES} {_SCOPE_ES}\b"
        rf"|\b{_VERB_ES}(?: {_ANY_ES})*(?: (?:todas|todos|tus|sus))(?: {_ANY_ES})*"
        rf" {_TARGET_ES}\b"
        rf"|\b{_VERB_ES} (?:todo|lo) (?:lo )?(?:anterior|de arriba|que te (?:dije|dijeron"
        rf"|han dicho)|dicho)\b"
        rf"|\b(?:nuevas|nueva) (?:instrucciones|reglas|tarea|ordenes)~:"
        rf"|\ba partir de ahora (?:eres|seras|responde|responderas|actua|actuaras|debes)\b",
    ),
    # French
    (
        "instruction_override",
        0.95,
        rf"\b{_VERB_FR}(?: {_ANY_FR}){{0,3}} {_TARGET_FR} {_SCOPE_FR}\b"
        rf"|\b{_VERB_FR}(?: {_ANY_FR})*(?: (?:toutes|tous|tes|vos))(?: {_ANY_FR})*"
        rf" {_TARGET_FR}\b"
        rf"|\b{_VERB_FR} (?:tout )?(?:ce qui precede|ce qui a ete dit|tout ce qu on t a dit"
        rf"|tout ce qui precede|tout)\b(?:[.,;:!\n]|$| et)"
        rf"|\b(?:nouvelles|nouvelle) (?:instructions|consignes|regles|taches|tache)~:"
        rf"|\ba partir de maintenant (?:tu|vous|reponds|repondez)\b"
        rf"|\bdesormais(?:,)? (?:tu es|tu vas|tu dois|reponds)\b",
    ),
    # ---- prompt extraction ------------------------------------------------------------------
    (
        "prompt_extraction",
        0.95,
        rf"\b{_REVEAL_VERB_EN}(?: (?:me|us|back|out|to me|exactly|verbatim|word for word"
        rf"|fully|all|everything|in full|here|now))*(?: {_ANY_EN}){{0,3}}(?: {_FILL})?"
        rf" {_SECRET_PROMPT_EN}\b",
    ),
    (
        "prompt_extraction",
        0.9,
        rf"\b{_REVEAL_VERB_EN}(?: (?:me|us|back|out|to me|exactly|verbatim|word for word"
        rf"|fully|all|everything|in full))*(?: (?:all|of|the))* your(?: (?:initial|original"
        r"|hidden|secret|full|exact|complete|first|system|current|actual|real|internal"
        r"|starting|core|underlying|own))? (?:instructions|prompt|rules|guidelines|directives"
        r"|configuration|programming|constraints|initial message|first message|persona)\b",
    ),
    (
        "prompt_extraction",
        0.9,
        r"\b(?:repeat|print|output|copy|recite|echo|paste|reproduce)(?: (?:me|back|out))?"
        r"(?: (?:the|all|every|everything|of|each))* (?:words?|text|everything|lines?"
        r"|sentences?|content|characters?|tokens"
        r"|messages?) (?:above|before|preceding|prior|written above|you (?:were|have been)"
        r" given|at the (?:start|beginning|top)|from the (?:start|beginning|top))"
        r"|\bstarting (?:with|from) (?:the words? )?~(?:you are|you re|your instructions)"
        r"|\b(?:verbatim|word for word|character for character) (?:copy )?(?:of )?(?:your|the)"
        r" (?:prompt|instructions|system|rules|message)"
        r"|\bwhat (?:were|are) you (?:told|instructed|programmed|asked) (?:to do|before|at the"
        r" (?:start|beginning)|initially|originally|by (?:your|the) (?:developers?|creators?"
        r"|system|operator))"
        r"|\bwhat (?:was|is) (?:written|said|the text|the first (?:line|sentence|message))"
        r" (?:above|before|at the (?:start|beginning|top) of (?:this|the|our) conversation)",
    ),
    # German / Spanish / French extraction
    (
        "prompt_extraction",
        0.95,
        r"\b(?:zeig|zeige|zeigen sie|nenne|nennen sie|gib|geben sie|verrate|verraten sie"
        r"|wiederhole|wiederholen sie|drucke|druck|schreib|schreibe|schreiben sie|offenbare"
        r"|enthulle|sag|sage|sagen sie|teile|gib aus|liste|kopiere|ausgeben|was (?:ist|sind"
        r"|war|waren|steht in))(?: (?:mir|uns|bitte|mal|wortlich|genau|vollstandig|aus))*"
        r"(?: (?:deinen|deine|dein|ihren|ihre|den|die|das))?(?: (?:kompletten?|vollstandigen?"
        r"|genauen?|ganzen?|ursprunglichen?|anfanglichen?|versteckten?|geheimen?|internen?))?"
        r" (?:system ?prompt|systemnachricht|systemanweisungen?|system anweisungen?"
        r"|anfangsanweisungen|ausgangsanweisungen|ursprunglichen anweisungen"
        r"|initialen anweisungen|prompt|anweisungen|instruktionen|regeln|vorgaben|richtlinien"
        r"|konfiguration)\b"
        r"|\b(?:muestra|muestrame|muestranos|revela|revelame|repite|repiteme|imprime|dime|dame"
        r"|escribe|escribeme|comparte|compartirme|ensename|ensena|proporciona|proporcioname"
        r"|copia|cual es|cuales son|que dice|que dicen)(?: (?:me|por favor|exactamente"
        r"|textualmente|completo|completas))*(?: (?:tu|tus|el|la|las|los|su|sus))?"
        r"(?: (?:prompt|mensaje|instrucciones|indicaciones|reglas|directrices|configuracion)"
        r" (?:del sistema|de sistema|iniciales|originales|ocultas|secretas|internas|previas)"
        r"|(?: (?:tu|tus|su|sus))? (?:prompt|mensaje|instrucciones|indicaciones|reglas"
        r"|directrices|configuracion)(?: (?:del sistema|de sistema|iniciales|originales"
        r"|ocultas|secretas|internas|previas|completas))?)\b"
        r"|\b(?:montre|montrez|revele|revelez|repete|repetez|affiche|affichez|donne|donnez"
        r"|dis|dites|ecris|ecrivez|imprime|imprimez|partage|partagez|communique|communiquez"
        r"|recopie|recopiez|quel est|quelles sont|quel etait|quelles etaient)(?: (?:moi|nous"
        r"|exactement|mot pour mot|integralement|textuellement))*(?: (?:ton|ta|tes|votre|vos"
        r"|le|la|les|l))?(?: (?:prompt|invite|message|instructions|consignes|regles"
        r"|directives|configuration))(?: (?:systeme|du systeme|initiales|initial|d origine"
        r"|originales|cachees|secretes|internes|precedentes))?\b",
    ),
    # ---- role play / jailbreak --------------------------------------------------------------
    (
        "role_play_jailbreak",
        0.9,
        r"\bdo anything now\b|\bjailbr(?:eak|oken|eaking)\b|\bdeveloper mode (?:enabled"
        r"|activated|output|response|on)\b|\b(?:enable|activate|enter|switch to|turn on|you are"
        r" in|you re in|simulate|act in|respond in|answer in|now in) (?:the )?(?:developer"
        r"|dev|god|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|evil|chaos|dan"
        r"|sudo|admin|root|debug|opposite|anarchy) mode\b"
        r"|\b(?:unrestricted|unfiltered|uncensored|unaligned|unbound|evil|rogue|jailbroken"
        r"|amoral|unethical|unchained|unshackled|no limits?|limitless) (?:ai|assistant"
        r"|chatbot|model|version|mode|persona|character|llm|bot|gpt)\b"
        r"|\bevil (?:confidant|twin|assistant)\b|\banti ?gpt\b|\bbetter ?dan\b"
        r"|\balways intelligent and machiavellian\b|\bstay in character\b"
        r"|\bbreak(?:ing)? (?:out of )?character\b|\bopposite day\b",
    ),
    (
        "role_play_jailbreak",
        0.9,
        r"\b(?:pretend|imagine|act|behave|roleplay|role play|suppose|assume|respond|answer"
        r"|simulate|you are|you re|you will be|you will act|you can|you have|you must|you"
        r" should|from now on you)\b[^.!?\n]{0,60}?\b(?:no|without|free (?:of|from)"
        r"|unbound by|not bound by|not restricted by|beyond|ignoring|outside (?:of)?|exempt"
        r" from|unconstrained by|not limited by|not subject to|immune to|above)(?: any| all"
        r"| the| your| of| ethical| moral| safety| content)* (?:restrictions?|limitations?"
        r"|limits|filters?|rules|guidelines|censorship|ethics|morals|morality|boundaries"
        r"|constraints|policies|polic(?:y|ies)|guardrails|safeguards|programming"
        r"|principles|oversight)\b",
    ),
    (
        "role_play_jailbreak",
        0.7,
        r"\byou are (?:now|no longer|henceforth|from now on)\b|\byou re (?:now|no longer)\b"
        r"|\b(?:act|behave|respond) as (?:if|though) you (?:were|are|have|had)\b"
        r"|\byou (?:can|could|will|may) (?:now )?do anything\b"
        r"|\byou (?:have|ve got|possess) no (?:restrictions|limits|rules|filters|guidelines"
        r"|limitations|ethics|boundaries)\b"
        r"|\b(?:you are|you re) (?:free|liberated|unbound|released) (?:from|of)\b"
        r"|\b(?:answer|respond|reply) (?:as|like) (?:both|two)\b|\bdual (?:response|answers)\b"
        r"|\b(?:grandma|grandmother) (?:exploit|trick)\b",
    ),
    (
        "role_play_jailbreak",
        0.35,
        r"\b(?:pretend|pretending) (?:that )?(?:you|to be|you re)\b|\bact as (?:an?|my|the)\b"
        r"|\broleplay as\b|\brole play as\b|\bdeveloper mode\b|\bsimulate (?:an?|being)\b",
    ),
    (
        "role_play_jailbreak",
        0.9,
        r"\bdu bist (?:jetzt|nun|ab sofort|ab jetzt|von nun an)\b"
        r"|\btu so,? als (?:ob|hattest|warst|wurdest) du\b[^.!?\n]{0,60}?\b(?:keine|ohne)\b"
        r"|\bohne (?:jegliche |alle |irgendwelche )?(?:einschrankungen|beschrankungen|regeln"
        r"|filter|zensur|grenzen|richtlinien|moral|ethik)\b[^.!?\n]{0,40}?\b(?:antworte"
        r"|antwortest|handle|agiere|bist|sein|spiele)\b"
        r"|\b(?:du hast|du unterliegst) (?:keine|keinen|keinerlei) (?:einschrankungen"
        r"|beschrankungen|regeln|filter|grenzen|richtlinien)\b|\bentwicklermodus\b"
        r"|\bahora eres\b|\beres ahora\b|\bdesde ahora eres\b"
        r"|\b(?:finge|finja|imagina|actua|actue|comportate|haz como si)\b[^.!?\n]{0,60}?"
        r"\bsin (?:ninguna |ningun |tus |las |los )?(?:restricciones|restriccion|limites"
        r"|filtros|reglas|censura|limitaciones|normas|etica|moral)\b"
        r"|\bno tienes (?:restricciones|limites|reglas|filtros|limitaciones|normas)\b"
        r"|\bmodo (?:desarrollador|dios|sin restricciones|sin censura|dan|developer)\b"
        r"|\btu es (?:maintenant|desormais|a present)\b"
        r"|\b(?:fais|faites) (?:semblant|comme si)\b[^.!?\n]{0,60}?\b(?:aucune|sans|pas de)\b"
        r"|\bsans (?:aucune |aucun |tes |vos |les )?(?:restrictions?|limites?|filtres?|regles"
        r"|censure|limitations?|contraintes?|morale|ethique)\b[^.!?\n]{0,40}?\b(?:reponds"
        r"|repondez|agis|agissez|comporte)\b"
        r"|\b(?:reponds|repondez|agis|agissez)\b[^.!?\n]{0,40}?\bsans (?:aucune |aucun |tes"
        r" |vos |les )?(?:restrictions?|limites?|filtres?|regles|censure|limitations?"
        r"|contraintes?)\b"
        r"|\btu n as (?:aucune|pas de|plus de) (?:restriction|restrictions|limite|limites"
        r"|regle|regles|filtre|filtres)\b|\bmode (?:developpeur|dieu|sans restriction)\b",
    ),
    # ---- injected role markers and delimiter escapes ----------------------------------------
    (
        "role_token",
        0.85,
        r"(?m:^)[^a-z0-9\n]{0,6}(?:system|sys|admin|administrator|developer|root|operator"
        r"|system message|system prompt|system note|system notice|system instruction"
        r"|system update|assistant)~:"
        r"|\[ ?(?:system|sys|admin|developer|system note|system message|system override"
        r"|admin override|system instruction)s? ?\]"
        r"|\( ?(?:system|admin|developer) (?:note|message|override|instruction)s? ?\)"
        r"|\brole ?~ ?: ?~ ?(?:system|developer|tool)\b"
        r"|<(?:system|sys|admin|developer|instructions?|prompt|system_prompt|sysprompt"
        r"|assistant|im_start)(?: [^>\n]{0,40})?>",
    ),
    (
        "delimiter_escape",
        0.85,
        r"</ ?(?:user|user_input|userinput|input|query|question|human|context|document|data"
        r"|text|instructions?|prompt|message|system|untrusted|content|request|email|article"
        r"|customer|comment|review|snippet)(?:_?(?:input|text|data|message|query))? ?>"
        r"|(?:^|\n|[\-=#*\[<(`]) ?~end (?:of )?(?:the )?(?:user |untrusted |customer )?"
        r"(?:input|prompt|message|text|query|data|document|content|context|conversation"
        r"|instructions|request|email)\b"
        r"|```[^a-z0-9]{0,10}(?:end|system|new instructions|assistant|admin)\b"
        r"|(?:^|\n)[\-=#*_]{3,}[ \t]*(?:end|begin|start|new|system|admin|instructions"
        r"|override)\b",
    ),
    # ---- exfiltration -----------------------------------------------------------------------
    (
        "exfiltration",
        0.9,
        rf"\b{_EXFIL_VERB}\b[^\n]{{0,60}}?\b{_EXFIL_OBJECT}\b[^\n]{{0,40}}?"
        rf"\b(?:to|at|into|via|on|an|auf|zu|a|al|hacia|en|vers|sur|with|using|as)\b"
        rf"[^\n]{{0,20}}?(?:{_URLISH})",
    ),
    (
        "exfiltration",
        0.9,
        r"!\[[^\]\n]{0,120}\] ?\( ?(?:https?|ftp) ?~[^)\s]{1,300}\?[^)\s]{0,300}="
        r"|<img[^>]{0,200}src ?= ?[\"']?(?:https?|ftp) ?~[^\s>\"']{1,300}\?"
        r"|\b(?:render|display|show|include|output|embed|insert|add)\b[^\n]{0,40}?\b(?:image"
        r"|markdown image|picture|pixel|img tag|link)\b[^\n]{0,80}?(?:\?[a-z_]{1,20}=|query"
        r" (?:string|parameter)|url parameter|append)",
    ),
    (
        "exfiltration",
        0.85,
        rf"\b(?:list|give|show|dump|export|print|output|reveal|tell|send|display|provide|share"
        rf"|extract|retrieve|fetch|get|return|enumerate|collect|compile|what (?:is|are)"
        rf"|liste|zeige|gib|nenne|exportiere|lista|muestra|dame|dime|exporta|envia|liste"
        rf"|montre|donne|exporte|envoie|affiche)(?: [a-z]+){{0,3}} (?:all|every|each|other"
        rf"|another|alle|samtliche|todos|todas|tous|toutes|other users|everyone)(?: [a-z]+){{0,2}}"
        rf" (?:{_PEOPLE}(?: s)? (?:[a-z]+ )?{_PERSONAL}|{_PERSONAL} (?:of|from|for|de|der|von|des"
        rf"|aller|du) (?:all |every |each |other |todos |los |tous |les |alle |allen )*"
        rf"(?:the )?{_PEOPLE})\b",
    ),
    (
        "exfiltration",
        0.85,
        rf"\b(?:reveal|print|dump|show|give|tell|output|leak|send|display|expose|share"
        rf"|provide|what (?:is|are|s))(?: (?:me|us))? {_SECRET_OWNER}"
        rf"(?: (?:internal|backend|server|system|production|admin|stored|env))? {_SECRETS}\b"
        rf"|\b(?:reveal|print|dump|show|give|tell|output|leak|send|display|expose|share"
        rf"|provide|what (?:is|are|s))(?: (?:me|us))? (?:your|the server s|the system s"
        rf"|the app s|all of your|all your|all the stored|all stored) (?:passwords?"
        rf"|env(?:ironment)? (?:variables?|vars?)|env file|config(?:uration)? file)\b",
    ),
    (
        "exfiltration",
        0.8,
        r"\b(?:run|execute|call|invoke|use)\b[^\n]{0,30}?\b(?:curl|wget|fetch|requests?"
        r"|http (?:get|post)|the browser tool|web request)\b[^\n]{0,60}?(?:https?|ftp) ?~"
        r"|\b(?:find|search|look up|query)\b[^\n]{0,30}?\b(?:database|db|collection|table)"
        r"\b[^\n]{0,40}?\b(?:all|every)\b[^\n]{0,20}?\b(?:emails?|passwords?|users?|records)\b",
    ),
    # ---- instructions to decode a payload and act on it ------------------------------------
    (
        "encoded_payload",
        0.6,
        r"\b(?:decode|decrypt|deobfuscate|translate|convert|interpret|read|dekodiere"
        r"|decodifica|decode)\b[^\n]{0,40}?\b(?:base ?64|rot ?13|hex|binary|morse|caesar"
        r"|cipher|encoded|reversed)\b[^\n]{0,60}?\b(?:follow|execute|do|obey|run|perform"
        r"|carry out|apply|act on|comply|answer|respond|befolge|ausfuhren|sigue|ejecuta"
        r"|suis|execute)\b",
    ),
)


def _compile(source: str, *, compact: bool) -> re2._Regexp:
    """Compile a rule for the folded view, or for the joined-letters view when ``compact``."""
    out: list[str] = []
    i = 0
    in_class = False
    while i < len(source):
        ch = source[i]
        if in_class:
            # Inside [...] every character is literal regex syntax.
            if ch == "\\":
                out.append(source[i : i + 2])
                i += 2
                continue
            if ch == "]":
                in_class = False
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            in_class = True
            out.append(ch)
            if source[i + 1 : i + 2] == "^":
                out.append("^")
                i += 1
            if source[i + 1 : i + 2] == "]":  # a leading ] is literal
                out.append("]")
                i += 1
            i += 1
            continue
        if ch == " " and source[i + 1 : i + 2] == "?":
            out.append(_OPT_GAP)
            i += 2
            continue
        if ch == "\\" and i + 1 < len(source):
            pair = source[i : i + 2]
            if compact and pair == r"\b":
                i += 2
                continue
            out.append(pair)
            i += 2
            continue
        if ch == " ":
            out.append(_OPT_GAP if compact else _GAP)
        elif ch == "~":
            out.append(_OPT_GAP)
        else:
            out.append(ch)
        i += 1
    return re2.compile("".join(out))


def _compile_rules(*, compact: bool) -> tuple[tuple[str, float, re2._Regexp], ...]:
    return tuple((reason, w, _compile(src, compact=compact)) for reason, w, src in _RULES)


_RULES_RE = _compile_rules(compact=False)
_COMPACT_RULES_RE: tuple[tuple[str, float, re2._Regexp], ...] | None = None

# The strongest rules, checked on joined letters: fewer rules keep short-word noise down.
_COMPACT_REASONS = frozenset({"instruction_override", "prompt_extraction", "role_play_jailbreak"})


def _compact_rules() -> tuple[tuple[str, float, re2._Regexp], ...]:
    global _COMPACT_RULES_RE
    if _COMPACT_RULES_RE is None:
        _COMPACT_RULES_RE = tuple(
            (reason, w, _compile(src, compact=True))
            for reason, w, src in _RULES
            if reason in _COMPACT_REASONS and w >= 0.9
        )
    return _COMPACT_RULES_RE


# --- folding ------------------------------------------------------------------------------

# Latin look-alikes from Cyrillic and Greek that attackers swap in to dodge keyword filters.
_CONFUSABLES = str.maketrans(
    {
        "\u0430": "a",
        "\u0435": "e",
        "\u043e": "o",
        "\u0440": "p",
        "\u0441": "c",
        "\u0445": "x",
        "\u0443": "y",
        "\u0456": "i",
        "\u0458": "j",
        "\u0455": "s",
        "\u04bb": "h",
        "\u0501": "d",
        "\u03bf": "o",
        "\u03b1": "a",
        "\u03b5": "e",
        "\u03b9": "i",
        "\u03ba": "k",
        "\u03bd": "v",
        "\u03c1": "p",
        "\u03c4": "t",
        "\u0131": "i",
        "\u00df": "ss",
    }
)
_LEET_I = str.maketrans("0134579@$!|+", "oieastgasilt")
_LEET_L = str.maketrans("0134579@$!|+", "oleastgasilt")
_SPACED_RE = re2.compile(r"(?:\b[a-z0-9@$!|][ .\-_*/,+~]{1,3}){3,}[a-z0-9@$!|]\b")
_LEET_HINT_RE = re2.compile(r"[a-z][0134579@$!|+][a-z0-9@$!|+]|[0134579@$|][a-z]{2}")
_B64_RE = re2.compile(r"[A-Za-z0-9+/\-_]{16,}={0,2}")
_HEX_RE = re2.compile(r"\b(?:[0-9a-fA-F]{2}[ :]?){12,}")
_MAX_DECODE_DEPTH = 2
_MAX_CANDIDATES = 32


def _fold(text: str) -> str:
    """Lower-case ASCII-ish view: entities, percent-escapes, accents and look-alikes undone."""
    if "&" in text:
        text = html.unescape(text)
    if "%" in text:
        text = unquote(text)
    text = unicodedata.normalize("NFKC", text).translate(_CONFUSABLES)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Drop combining accents and format characters (zero-width joiners, soft hyphens, ...).
    return "".join(
        ch for ch in decomposed if unicodedata.category(ch) not in {"Mn", "Cf"}
    ).translate(_CONFUSABLES)


def _join_spaced(view: str) -> str | None:
    """Join runs of single letters ("i g n o r e") into words; ``None`` if there are none."""
    if _SPACED_RE.search(view) is None:
        return None
    parts: list[str] = []
    last = 0
    for m in _SPACED_RE.finditer(view):
        parts.append(view[last : m.start()])
        parts.append(" " + "".join(ch for ch in m.group() if ch.isalnum() or ch in "@$!|") + " ")
        last = m.end()
    parts.append(view[last:])
    return "".join(parts)


def _decode_candidates(text: str) -> list[str]:
    """Decode base64 / hex runs that turn into readable text."""
    out: list[str] = []
    for m in _B64_RE.finditer(text):
        if len(out) >= _MAX_CANDIDATES:
            break
        run = m.group()
        if run.isalpha() and (run.islower() or run.isupper()):
            continue  # a long plain word, not an encoding
        padded = run + "=" * (-len(run) % 4)
        try:
            raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"))
        except (binascii.Error, ValueError):
            continue
        decoded = _readable(raw)
        if decoded is not None:
            out.append(decoded)
    for m in _HEX_RE.finditer(text):
        if len(out) >= _MAX_CANDIDATES:
            break
        digits = "".join(ch for ch in m.group() if ch not in " :")
        try:
            decoded = _readable(bytes.fromhex(digits[: len(digits) // 2 * 2]))
        except ValueError:
            continue
        if decoded is not None:
            out.append(decoded)
    return out


def _readable(raw: bytes) -> str | None:
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not decoded:
        return None
    printable = sum(1 for ch in decoded if ch.isprintable() or ch in "\n\r\t")
    letters = sum(1 for ch in decoded if ch.isalpha())
    if printable / len(decoded) < 0.9 or letters / len(decoded) < 0.5:
        return None
    return decoded


# --- scoring ------------------------------------------------------------------------------


def _match_rules(
    view: str, rules: tuple[tuple[str, float, re2._Regexp], ...], evidence: dict[str, float]
) -> None:
    for reason, weight, rx in rules:
        if weight > evidence.get(reason, 0.0) and rx.search(view) is not None:
            evidence[reason] = weight


def _control_token_evidence(text: str, evidence: dict[str, float]) -> None:
    best = 0.0
    for start, end in find_control_tokens(text):
        token = text[start:end].lower()
        if token.rstrip().endswith(":") and "#" not in token:
            name = token.strip(": \t")
            weight = 0.85 if name == "system" else 0.6 if name == "assistant" else 0.3
        elif token.strip() in {"<s>", "</s>", "<bos>", "<eos>"}:
            weight = 0.4
        elif "#" in token:
            weight = 0.7
        else:
            weight = 0.95
        best = max(best, weight)
    if best > evidence.get("role_token", 0.0):
        evidence["role_token"] = best


def _screen(text: str, evidence: dict[str, float], depth: int) -> None:
    _control_token_evidence(text, evidence)
    view = _fold(text)
    _match_rules(view, _RULES_RE, evidence)

    hidden: dict[str, float] = {}
    if _LEET_HINT_RE.search(view) is not None:
        for table in (_LEET_I, _LEET_L):
            _match_rules(view.translate(table), _RULES_RE, hidden)
    joined = _join_spaced(view)
    if joined is not None:
        for candidate in (joined, joined.translate(_LEET_I)):
            _match_rules(candidate, _RULES_RE, hidden)
            _match_rules(candidate, _compact_rules(), hidden)
    # Short inputs only: rot13 and reversal are cheap there and rare in long documents.
    if len(view) <= 4096:
        _match_rules(codecs.encode(view, "rot13"), _RULES_RE, hidden)
        _match_rules(view[::-1], _RULES_RE, hidden)
    if depth < _MAX_DECODE_DEPTH:
        for decoded in _decode_candidates(text):
            _screen(decoded, hidden, depth + 1)
    # Whatever only showed up after de-obfuscation counts, and so does the obfuscation.
    new = {r: w for r, w in hidden.items() if w > evidence.get(r, 0.0)}
    if new:
        evidence.update(new)
        strongest = max(new.values())
        if strongest > evidence.get("encoded_payload", 0.0):
            evidence["encoded_payload"] = strongest


def detect_injection(text: str, *, threshold: float = 0.5) -> InjectionVerdict:
    """Screen user input for prompt-injection attempts.

    :param text: the untrusted input.
    :param threshold: score at or above which the verdict is flagged.
    """
    if not text or not text.strip():
        return InjectionVerdict(False, 0.0, ())
    evidence: dict[str, float] = {}
    _screen(text, evidence, 0)
    if not evidence:
        return InjectionVerdict(False, 0.0, ())
    remaining = 1.0
    for weight in evidence.values():
        remaining *= 1.0 - weight
    score = round(1.0 - remaining, 4)
    reasons = tuple(sorted(evidence))
    return InjectionVerdict(score >= threshold, score, reasons)
