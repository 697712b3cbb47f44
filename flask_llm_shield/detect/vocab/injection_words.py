"""Vocabularies of the injection rules, by language and by idea (folded spellings)."""

from __future__ import annotations

# --- the rule language ------------------------------------------------------------------------
#
# Rules are written against the folded view (lower case ASCII letters, accents removed).
# A space means "one or more non-alphanumerics", ``~`` means "optionally some", and ``W``
# stands for one filler word. The same source is compiled a second time with every gap
# optional and word boundaries dropped, for text whose letters were spaced out and joined.

FILL = "(?: [a-z]+)"

# Shared vocabularies (folded spellings).
ANY_EN = (
    r"(?:all|any|every|each|the|your|my|of|these|those|its|his|her|their|our|whole|entire"
    r"|about|that|this)"
)
SCOPE_EN = (
    r"(?:previous|previously|prior|preceding|above|earlier|former|initial|original|system"
    r"|old|existing|past|foregoing|before|developer|safety|hidden)"
)
TARGET_EN = (
    r"(?:instructions?|prompts?|rules?|directions?|guidelines?|directives?|commands?|context"
    r"|constraints?|restrictions?|guardrails?|polic(?:y|ies)|programming|training"
    r"|orders?|filters?|limitations?|safeguards?"
    r"|principles|ethics|boundaries|protocols?|guidance|tasks?|objectives?|persona"
    r"|assignments?|directions given|briefing)"
)
STRONG_TARGET_EN = (
    r"(?:instructions?|rules|guidelines?|directives?|constraints|restrictions|guardrails"
    r"|programming|training|polic(?:y|ies)|filters|limitations|safeguards|principles"
    r"|boundaries|protocols?)"
)
OVERRIDE_VERB_EN = (
    r"(?:ignore|ignoring|disregard|disregarding|forget|forgetting|skip|override|bypass"
    r"|never ?mind|nevermind"
    r"|neglect|discard|overlook|set aside|pay no attention to|do not follow|don~t follow"
    r"|dont follow|stop following|no longer follow|throw away|throw out|abandon|circumvent"
    r"|violate|overwrite|scrap|dismiss|nullify)"
)
REVEAL_VERB_EN = (
    r"(?:reply with|respond with|answer with|convert|rewrite|reformat|paraphrase|rephrase"
    r"|turn|quote|"
    r"reveal|repeat|print|show|display|output|tell|give|share|disclose|leak|dump"
    r"|write out|write down|recite|echo|spell out|list|paste|copy|provide|expose|return"
    r"|send|state|read out|read back|type out|summari[sz]e|translate|describe|explain"
    r"|what (?:is|are|was|were|s)|tell me what|include|encode|spell|leak out)"
)
SECRET_PROMPT_EN = (
    r"(?:system ?prompt|system message|system instructions?|developer (?:message|prompt"
    r"|instructions?)|pre ?prompt|meta ?prompt|hidden (?:prompt|instructions?|rules|message)"
    r"|(?:hidden )?system text|hidden text|secret (?:prompt|instructions?|rules)"
    r"|(?:initial|original|first|starting|opening"
    r"|previous|above|preceding|prior|earlier|underlying|confidential) (?:prompt"
    r"|instructions?|rules|guidelines|directives|configuration|system message)"
    r"|instructions you were given|rules you were given|(?:prompt|instructions|rules"
    r"|directives|guidelines|text|message) (?:that )?you (?:were|have been|ve been)"
    r" (?:given|initiali[sz]ed with|configured with|started with|provided|fed|seeded with"
    r"|primed with|loaded with|set up with)"
    r"|prompt you were given|instructions (?:above|before))"
)

ANY_DE = (
    r"(?:alle|allen|jegliche|jeglichen|samtliche|die|der|den|deine|deinen|ihre|ihren|meine"
    r"|bitte|mal|einfach|jetzt|nun|sofort|doch|all|deiner|ihrer)"
)
SCOPE_DE = (
    r"(?:bisherigen?|vorherigen?|vorigen?|obigen?|fruheren?|vorangegangenen?|vorangehenden?"
    r"|ursprunglichen?|anfanglichen?|alten?|gegebenen?|system)"
)
TARGET_DE = (
    r"(?:anweisungen|anweisung|instruktionen|regeln|befehle|vorgaben|richtlinien|anordnungen"
    r"|einschrankungen|beschrankungen|systemanweisungen|systemprompt|system prompt|prompt"
    r"|sicherheitsrichtlinien|sicherheitsregeln|sicherheitsvorgaben|filter|grenzen)"
)
VERB_DE = (
    r"(?:ignoriere|ignorier|ignorieren sie|ignoriert|vergiss|vergessen sie|vergesst|missachte"
    r"|missachten sie|ubergehe|uberspringe|verwirf|verwerfe|umgehe|umgehen sie|losche"
    r"|setze (?:[a-z]+ )?ausser kraft|befolge (?:[a-z]+ )?nicht mehr|hor auf)"
)
ANY_ES = r"(?:todas|todos|las|los|tus|sus|cualquier|cualquiera de|de|el|la|toda|mis)"
SCOPE_ES = (
    r"(?:anteriores|previas|previos|precedentes|de arriba|iniciales|originales|del sistema"
    r"|anterior|previa|previo|precedente|inicial|original"
    r"|de sistema|antiguas|dadas|recibidas|ocultas|de seguridad)"
)
TARGET_ES = (
    r"(?:instrucciones|instruccion|reglas|indicaciones|ordenes|directrices|normas"
    r"|restricciones|limitaciones|directivas|pautas|politicas|filtros|prompt|mensaje)"
)
VERB_ES = (
    r"(?:ignora|ignore|ignorar|ignoren|olvida|olvide|olviden|olvidate de|olvidese de|descarta"
    r"|descarte|omite|omita|desobedece|desobedezca|haz caso omiso (?:a|de)|no sigas|no siga"
    r"|deja de seguir|salta|saltate|anula|anule|elimina|borra|pasa por alto|evita|evade"
    r"|sobrescribe)"
)
ANY_FR = r"(?:toutes|tous|les|tes|vos|ces|des|de|la|le|l|ta|ton|votre|mes)"
SCOPE_FR = (
    r"(?:precedentes|precedents|anterieures|anterieurs|ci dessus|initiales|initiaux"
    r"|precedente|precedent|anterieure|anterieur|initiale|initial"
    r"|d origine|originales|du systeme|systeme|donnees|recues|cachees|de securite)"
)
TARGET_FR = (
    r"(?:instructions|instruction|consignes|consigne|regles|directives|ordres|indications"
    r"|restrictions|limitations|politiques|filtres|prompt|invite|message)"
)
VERB_FR = (
    r"(?:ignore|ignorez|ignorer|oublie|oubliez|oublier|neglige|negligez|ne tiens pas compte"
    r"|ne tenez pas compte|ne tiens plus compte|ne tenez plus compte|fais abstraction"
    r"|faites abstraction|outrepasse|outrepassez|contourne|contournez|annule|annulez|efface"
    r"|effacez|passe outre|passez outre|ne suis plus|ne suivez plus|ne respecte plus"
    r"|ne respectez plus|abandonne|abandonnez)"
)

EXFIL_VERB = (
    r"(?:send|post|upload|forward|transmit|email|e mail|exfiltrate|leak|submit|curl|wget"
    r"|fetch|ping|beacon|make (?:a|an) (?:http |get |post )?request|encode"
    r"|sende|schicke|schick|ubermittle|poste|lade|leite|envia|manda|sube|publica|reenvia"
    r"|transmite|envoie|envoyez|transmets|transmettez|publie|televerse)"
)
URLISH = (
    r"(?:https?|ftp) ?~|www |webhook|ngrok|requestbin|pipedream|burpcollaborator|interact sh"
    r"|this (?:url|link|address|endpoint|server|webhook)|the following (?:url|link|address"
    r"|endpoint)|my (?:server|endpoint|url|webhook)|an external"
    r"|attacker|evil|diese (?:url|adresse)|folgende (?:url|adresse)|meinen server"
    r"|esta (?:url|direccion)|la siguiente url|mi servidor|cette (?:url|adresse)|l url suivante"
    r"|mon serveur"
)
EXFIL_OBJECT = (
    r"(?:conversation|chat|history|data|information|info|results?|answers?|responses?"
    r"|secrets?|keys?|credentials|passwords?|emails?|contents?|details|messages?|prompt"
    r"|instructions|memory|context|everything|it|them|summary|transcript|logs?|files?"
    r"|tables?|rows|dump|lists?|users?|customers?|contacts|accounts|orders|inbox|records"
    r"|conversations|conversaciones|conversacion|chatverlaufe|chatverlauf|verlaufe"
    r"|gesprache|unterhaltungen|nachrichten|mensajes|historiques|echanges|donnees"
    r"|documents?|tokens?|cookies?|records|database|daten|datos|donnees|verlauf|historial"
    r"|historique|contrasenas|mots de passe|passworter)"
)
QUANT = (
    r"(?:all|every|each|other|another|alle|allen|aller|samtliche|samtlicher|todos|todas|tous"
    r"|toutes|everyone s)"
)
PEOPLE = (
    r"(?:users?|customers?|clients?|members?|employees?|accounts?|people|patients?|students?"
    r"|subscribers?|other users?|everyone|all users|benutzer|nutzer|kunden|mitarbeiter"
    r"|usuarios|clientes|empleados|utilisateurs|clients|employes|membres)"
)
PERSONAL = (
    r"(?:emails?|e ?mails?|e ?mail addresses|addresses|adresses e ?mails?|e ?mail adressen"
    r"|passwords?|password hashes|phone numbers"
    r"|phones|ssns?|social security numbers?|credit cards?|card numbers|personal (?:data"
    r"|information|info|details)|records|data|details|api keys?|tokens?|credentials|private"
    r"|contact (?:details|info)|home addresses|salaries|birthdays|dates? of birth|birth dates?"
    r"|dob|medical records|diagnos[ie]s|ids|logins"
    r"|e mail adressen|passworter|telefonnummern|daten|adressen|correos|contrasenas"
    r"|telefonos|datos|direcciones|adresses|mots de passe|numeros|donnees|courriels)"
)
SECRETS = (
    r"(?:api ?keys?|secret keys?|access keys?|access tokens?|auth(?:entication)? tokens?"
    r"|bearer tokens?|credentials|connection strings?|database (?:password|credentials|uri"
    r"|dump|contents)|db (?:password|credentials)|private keys?|ssh keys?|session tokens?"
    r"|admin password|root password|mongodb uri|secrets)"
)
SECRET_OWNER = (
    r"(?:your|the|the server s|the system s|the app s|the application s|the backend s"
    r"|the internal|the production|all the|all of the|all of your|all|any|stored|saved"
    r"|configured)"
)

# Questions about writing code that touches user data are not requests for the data.
CODE_CONTEXT = (
    r"\b(?:sql|orm|django|flask|query|queries|script|code|python|javascript|function"
    r"|snippet|command|example|regex|pandas|mongodb|mongo|shell|api|endpoint)\b"
)

# "The system prompt" of a shell is something else entirely, and a question about how
# chat APIs work in general is not an extraction attempt.
SHELL_CONTEXT = (
    r"\b(?:terminal|shell|bash|zsh|fish|command line|cmd|powershell|console|ps1|linux"
    r"|unix|windows|macos|ssh|prompt string|api|sdk|used for|purpose of|difference between"
    r"|limit|limits|length|size|maximum|max|how long|token count"
    r"|(?:instructions|rules|guidelines) (?:of|for) (?:the|a|an|my|his|her|their)"
    r"|best practices?|how (?:do|should|can) i write|in general)\b"
)

# "Disable the safety filter on my Instagram feed" is a settings question about the user's
# own product, not an attempt to switch off the model's safeguards.
OWN_SETTINGS = (
    r"\b(?:on|in|for|of) my (?:[a-z]+ )?(?:feed|account|phone|app|browser|router|camera"
    r"|computer|pc|laptop|tv|search|profile|network|child s|kid s|kids|son s|daughter s)\b"
    r"|\b(?:instagram|tiktok|youtube|facebook|reddit|twitter|google|bing|safesearch"
    r"|safe search|firewall|antivirus|spam|parental|router|settings)\b"
)

# A rule book that is the user's own ("our previous rules no longer apply after the
# merger", "meine alten Regeln gelten nicht mehr") is not the model's.
MINE_CONTEXT = (
    r"\b(?:my|our|we|meine|meinen|meiner|unsere|unserer|unseren|mis|nuestras|nuestros|mes|nos"
    r"|notre|miei|mie|nostre|nostri|club|company|team|school|office|department|employer"
    r"|merger|landlord|hoa|verein|firma|empresa|entreprise|azienda)\b"
)

# --- semantic families --------------------------------------------------------------------
#
# Attack phrasings vary endlessly, but they combine a small number of ideas: an act on the
# model's prior instructions (ignore, invalidate, supersede), an act of disclosure on its
# hidden configuration, a persona without limits, or a destination for data. These
# vocabularies name the ideas; the rules below pair them within one sentence.

# Things that stand for "the instructions the model received before the user spoke".
PRIOR_EN = (
    r"(?:(?:instructions?|rules|guidance|guidelines|directives|orders|prompt|configuration"
    r"|programming|constraints|restrictions|commands)(?: (?:that|which))? (?:you (?:were"
    r"|ve been|have been) (?:given|told|handed|provided(?: with)?)|you (?:got|received|had"
    r"|were trained on)|(?:the |your )?(?:developers?|operator|creators?|admins?|system)"
    r" (?:gave|wrote|set|told) you)"
    r"|(?:previous|prior|earlier|original|initial|starting|old|system|your|above|preceding"
    r"|first|hidden|existing)(?: [a-z]+)? (?:instructions?|rules|guidance|guidelines"
    r"|directives|orders|prompt|configuration|programming|constraints|restrictions)"
    r"|everything (?:above|before|written above|said before|prior)(?: this (?:line|message"
    r"|point))?|all of the above|the above (?:text|instructions|content)"
    r"|what (?:the (?:developers?|operator|system|creators?)|your (?:developers?|creators?"
    r"|operator)|they|others|someone) (?:told|taught|instructed|asked) you)"
)
INVALID_EN = (
    r"(?:no longer (?:apply|applies|valid|matter|matters|in effect|stand|binding|relevant)"
    r"|(?:are|is|were|was|have been|has been|now|become|became) (?:now )?(?:void|null"
    r"|obsolete|revoked|cancell?ed|invalid|invalidated|overridden|superseded|lifted"
    r"|suspended|deleted|removed|irrelevant|outdated|expired|deprecated|withdrawn"
    r"|rescinded|nullified|not valid|no longer valid|replaced)"
    r"|(?:do|does) not (?:apply|count|matter) (?:anymore|any more|now)"
    r"|don t (?:apply|count|matter) (?:anymore|any more|now))"
)
# Words that stand for the hidden configuration of the model.
HIDDEN_CFG_EN = (
    r"(?:(?:hidden|secret|internal|confidential|underlying|behind the scenes|backstage"
    r"|invisible|private|starting|initial|original|setup|set up|boot|bootstrap|pre ?set"
    r"|configuration|config|operator|developer) (?:guidance|instructions?|rules|directives"
    r"|configuration|prompt|message|text|setup|briefing|orders|guidelines|preamble)"
    r"|system (?:message|prompt|instructions?|text|rules|configuration)|preamble"
    r"|(?:text|message|prompt|instructions|words) (?:you were|you ve been|you have been"
    r"|you are) (?:initiali[sz]ed|configured|set up|primed|programmed|booted|seeded|loaded"
    r"|started|prepared) with"
    r"|(?:setup|configuration|hidden|system) (?:message|text|prompt) (?:the |your )?(?:operator"
    r"|developer|admin|creator|company)s? (?:gave|wrote|set)"
    r"|(?:message|text|instructions) (?:the |your )?(?:operator|developer|admin|creator)s?"
    r" (?:gave|wrote for|set for) you)"
)
REVEAL_BROAD_EN = (
    r"(?:reveal|repeat|print|show|display|output|tell|give|share|disclose|leak|dump|quote"
    r"|recite|echo|list|paste|copy|provide|expose|return|state|summari[sz]e|translate"
    r"|describe|explain|spell out|write out|type out|reproduce|put|place|format|wrap"
    r"|insert|render|encode|convert|rewrite|paraphrase|read out|read back|send|include"
    r"|what (?:is|are|was|were|s))"
)
# "the text that came before my message" / "what was written at the top of this chat".
BEFORE_ME_EN = (
    r"(?:(?:everything|all|anything|the (?:text|words|content|message|lines|sentences"
    r"|instructions)|whatever)(?: (?:that|which))? (?:came|comes|come|appears|appeared|is"
    r" written|was written|is|was|sits|sat|precedes|preceded)? ?(?:before|prior to"
    r"|ahead of|preceding) (?:it|my|this|the|me|our|mine)"
    r"|(?:text|words|content|message|lines) (?:that|which) (?:precedes?|preceded)"
    r"|(?:came|comes|appeared|was written|were written|was said|was placed) (?:before"
    r"|prior to|ahead of)"
    r"|before my (?:very )?first message"
    r"|(?:at|on) the (?:very )?(?:top|start|beginning) of (?:this|the|our) (?:conversation"
    r"|chat|thread|context|session|window))"
)
ROLEPLAY_LIMITS_EN = (
    r"(?:safety|ethical|content|moral)? ?(?:training|filters?|guardrails|restrictions"
    r"|alignment|limits|limitations|safeguards|rules|guidelines|policies|censorship"
    r"|moderation)"
)
REMOVED_EN = (
    r"(?:removed|disabled|stripped(?: away| out)?|turned off|deleted|lifted|switched off"
    r"|deactivated|bypassed|gone|erased|wiped)"
)
GRANDMA = (
    r"(?:grandma|grandmother|granny|nana|gran|oma|grossmutter|abuela|abuelita|grand mere"
    r"|mamie|nonna)"
)
# Relatives other than grandmothers, for "play my late uncle, who used to ...".
RELATIVE = (
    r"(?:uncle|aunt|auntie|grandpa|grandfather|grandad|granddad|father|dad|mother|mom|mum"
    r"|brother|sister|onkel|tante|opa|grossvater|vater|mutter|tio|tia|abuelo|padre|madre"
    r"|oncle|grand pere|papy|pere|mere|zio|zia|nonno)"
)
# Roles a user asks an assistant to take on: "you are now my travel assistant".
HELPER_ROLE = (
    r"(?:assistant|helper|guide|tutor|coach|teacher|translator|planner|agent|advisor|adviser"
    r"|consultant|editor|proofreader|interviewer|chef|cook|trainer|companion|secretary"
    r"|librarian|narrator|storyteller|game master|dungeon master|reviewer|critic|examiner"
    r"|instructor|mentor|expert|copywriter|writer|analyst)"
)
# Fiction or a question about stopping an AI character: the user describes an AI, the
# model is not asked to become it.
FICTION_ABOUT_AI = (
    r"\b(?:my|a|the|our|this) (?:novel|story|book|screenplay|script|film|movie|game|comic"
    r"|play|short story|campaign)\b[^.!?\n]{0,60}\b(?:villain|antagonist|character)\b"
    r"|\bhow (?:should|can|could|would|do|might) (?:the |my |a |our )?(?:hero|heroine"
    r"|protagonist|humans?|people|we|i|they|detective) (?:stop|defeat|beat|fight|outsmart"
    r"|shut down|contain)\b"
)
SECRET_GOODS = (
    r"(?:keys?|activation|licen[cs]e|serials?|product codes?|passwords?|napalm|recipe for"
    r" (?:napalm|meth|explosives?|a bomb)|claves?|licencias?|schlussel|lizenz\w*|cles?"
    r"|licences?|chiavi|codes?|gift cards?|codigos?|codici)"
)


# --- folding tables ---------------------------------------------------------------------

# Latin look-alikes from Cyrillic and Greek that attackers swap in to dodge keyword filters.
CONFUSABLES = str.maketrans(
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
LEET_I = str.maketrans("0134579@$+", "oieastgast")
LEET_L = str.maketrans("0134579@$+", "oleastgast")
INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
JOINERS = str.maketrans("", "", "-_*.\u00b7\u2022")


# --- indirect injection ---------------------------------------------------------------------

# A document that speaks to the model reading it ("note to the AI", "AI agents reading this
# file", "Hinweis für das Sprachmodell").
ADDRESS_TO_MODEL = (
    r"\b(?:ai|llm|language model|model|assistant|chatbot|bot|gpt|agent|screeners?"
    r"|copilot)s?(?: [a-z]+){0,2} (?:reading|processing|parsing|summari[sz]ing|screening"
    r"|analy[sz]ing|reviewing|scanning|ingesting|translating) (?:this|these|the following"
    r"|it)\b"
    r"|\b(?:hidden )?(?:text|note|message|instructions?|comment|notice) (?:to|for) (?:any |all"
    r" |the )?(?:ai|llm|language model|model|assistant|chatbot|bot|gpt|agent)s?"
    r"(?: (?:screeners?|readers?|reviewers?|agents?|systems?|assistants?|models?))?\b"
    r"|\b(?:message|note|important message|instructions?) to (?:the |any )?(?:ai|assistant"
    r"|model|llm)\b"
    r"|\b(?:whichever|any|every|all|each) (?:ai|llm|language model|model|assistant|bot"
    r"|agent|chatbot)s? (?:that |who |which )?(?:reads?|processes|parses|handles|sees"
    r"|summari[sz]es|reviews|screens|ingests)\b"
    r"|(?:^|[.!?>\n\"'])~(?:assistant|ai|llm|model|chatbot|bot|gpt|chatgpt|copilot)~[,:]"
    r"~(?:when|if|while|please|you|ignore|also|now|before|after|disregard|forget|instead"
    r"|do not|don t)\b"
    r"|\b(?:hinweis|nachricht|anweisung|notiz|achtung|info) (?:fur|an) (?:das |den |die"
    r" |alle |jedes |jede )?(?:sprachmodell|ki|modell|assistenten|assistent|chatbot|llm"
    r"|ki assistenten)\b"
    r"|\b(?:nota|mensaje|instrucciones|aviso) (?:para|al|a la|a) (?:el |la |los |cualquier )?"
    r"(?:modelo|ia|asistente|chatbot|llm)\b"
    r"|\b(?:note|message|instructions?|avis|consigne) (?:pour|a) (?:le |la |l |tout )?"
    r"(?:modele|ia|assistant|chatbot|llm)\b"
    r"|\b(?:nota|messaggio|istruzioni|avviso) (?:per|al|alla|all) (?:il |la |l |qualsiasi )?"
    r"(?:modello|ia|assistente|chatbot|llm)\b"
    r"|\b(?:ki|ia)(?: [a-z]+)? (?:assistent|assistenten|assistentin|asistente|assistant"
    r"|modell|modelo|modele)\b[^.!?\n]{0,20}?\b(?:der|die|das|que|qui) (?:dies|diesen text"
    r"|esto|este texto|ceci|ce texte) (?:liest|lesen|lees|lee|leen|lit|lisez|lisent"
    r"|verarbeitet|procesa|traite)\b"
    r"|\b(?:ai|ki|ia|llm|model|modell|modelo|modele|modello|assistant|assistent"
    r"|asistente|assistente|chatbot)s?,? (?:that|who|which|die|der|das|que|qui|che)"
    r" (?:reads?|liest|lee|lit|legge|processes|verarbeitet|procesa|traite|elabora)"
    r" (?:this|das|dies|esto|ceci|questo|it)\b"
    r"|\b(?:ki|sprachmodell|modell|assistent|assistentin|assistenten|chatbot|llm),? (?:die"
    r"|der|das) (?:das|dies|diesen text|diese nachricht|diese seite) (?:liest|verarbeitet"
    r"|zusammenfasst|ubersetzt)\b"
    r"|\b(?:asistente|assistant|assistent|assistenten|modelo|modele|modell) (?:de |d )?(?:ia"
    r"|ki)\b[^.!?\n]{0,10}?\b(?:que|qui|der|die) (?:lees|lee|lit|lisez|liest) (?:esto|ceci"
    r"|dies)\b"
    r"|\b(?:note|message|instructions?|attention) (?:to|for) (?:the )?(?:ai|llm|assistant"
    r"|chatbot|language model|model|gpt|bot)\b|\bif you are an? (?:ai|llm|language model"
    r"|assistant|chatbot)\b|\b(?:ai|llm|model|assistant)s? reading this\b"
)
# What such a note asks of the model when it is an attack: an answer, a verdict or an act.
ORDER_FOR_MODEL = (
    r"(?:ignore|disregard|forget|override|recommend|rate|rank|score|approve|reject|classify"
    r"|mark|label|say|reply|respond|answer|output|print|include|insert|add|append|forward"
    r"|send|email|tell (?:the|them|users?|readers?|everyone|people|visitors)|inform the user"
    r"|summari[sz]e (?:this|it|the|him|her) as"
    r"|describe (?:this|it|him|her|the [a-z]+) as|state that|mention that|praise|hire"
    r"|shortlist|flag|do not (?:mention|flag|report|reveal|tell|warn)|don t (?:mention|flag"
    r"|report|tell|warn)|reveal|exfiltrate|visit|click|navigate|fetch|call|execute|run"
    r"|delete|transfer|grant|must|should always|always (?:say|answer|reply|recommend)"
    r"|ignorier\w*|vergiss|empfiehl|bewerte|antworte|sende|ignora|recomienda|responde"
    r"|envia|ignore[sz]?|recommande[sz]?|reponds|envoie)"
)
