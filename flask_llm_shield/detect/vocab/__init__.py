"""Vocabularies and rule tables of the detectors, kept apart from the code that scores them.

- ``injection_words``: the rule language and the vocabularies it is written with, by
  language (English, German, Spanish, French, Italian) and by idea.
- ``injection_rules``: ``(reason, weight, pattern)`` rows; guarded rows carry an
  "unless" pattern that shows an ordinary context.
- ``injection_concepts``: word stems per concept for clause-level co-occurrence scoring.
- ``prompt_leak``: chat-template token families, disclosure phrasings, refusal words.

A new synonym, phrasing or language is an edit here; :mod:`..injection` and
:mod:`..prompt_leak` compile these tables once, at import.
"""
