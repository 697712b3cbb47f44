"""Vocabularies and rule tables of the detectors, kept apart from the code that scores them.

- ``injection_words``: the rule language and the vocabularies it is written with, by
  language (English, German, Spanish, French, Italian) and by idea.
- ``injection_rules``: ``(reason, weight, pattern)`` rows; guarded rows carry an
  "unless" pattern that shows an ordinary context.
- ``injection_concepts``: word stems per concept for clause-level co-occurrence scoring
  (override, extraction, role play, exfiltration) on the folded view.
- ``injection_languages``: one row per language scored on its own script (Russian,
  Chinese, Japanese, Korean, Polish, Dutch, Portuguese, Turkish, Swedish, Italian,
  Ukrainian, Arabic, Hindi, Vietnamese): stems per concept.
- ``prompt_leak``: chat-template token families, disclosure phrasings and per-language
  disclosure concepts, refusal words, placeholders that make a template documentation.

A new synonym, phrasing or language is an edit here (a new language is one more row);
:mod:`..injection` and :mod:`..prompt_leak` compile these tables once, at import.
"""
