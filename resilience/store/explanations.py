"""Saved results: written compactly, read back with every sentence of their explanation.

A result is saved in ``scoring.compact``'s format: rule ids, points and the values shown,
naming its method's words by their SHA-256; the words are kept once per method in
``explanation_words`` (in the same transaction as the first result that names them).
Reading makes the sentences again from those words, so a saved explanation reads exactly
as it did when it was scored. Results saved before issue 16 carry their full sentences
(``ScoreResult.to_dict``) and are read as they are.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from resilience.errors import StoreError
from resilience.models import ExplanationWords
from scoring import Methodology, ScoreResult
from scoring.compact import Words, compact, expand, is_compact, method_words, parse_words
from scoring.compact import words_json as _words_json

# SHA-256 -> words. The key is the words' own hash, so one cache serves every database
# this process opens, and a cached entry can never be another database's words.
_WORDS: dict[str, Words] = {}


def saving_words(s: Session, method: Methodology) -> tuple[Words, str]:
    """The words results scored with ``method`` name, stored in this database if they
    are not there yet (inside the caller's write transaction)."""
    words, sha = method_words(method)
    stored = s.exec(select(ExplanationWords.id).where(col(ExplanationWords.sha256) == sha)).first()
    if stored is None:
        try:
            with s.begin_nested():  # a savepoint: a concurrent save may store them first
                s.add(
                    ExplanationWords(
                        sha256=sha,
                        methodology_version=method.version,
                        words=_words_json(words),
                    )
                )
        except IntegrityError:  # PostgreSQL: another transaction stored the same words
            pass
    _WORDS.setdefault(sha, words)
    return words, sha


def result_text(result: ScoreResult, words: Words, sha: str) -> str:
    """The JSON stored in ``assessment.result_json``."""
    return json.dumps(compact(result, words, sha), separators=(",", ":"))


def result_of(s: Session, text: str) -> ScoreResult:
    """A stored result (either format) with its explanation's sentences."""
    data = json.loads(text)
    if not is_compact(data):
        return ScoreResult.from_dict(data)
    sha = data["words"]
    words = _WORDS.get(sha)
    if words is None:
        words = _load_words(s, sha)
    return expand(data, words)


def _load_words(s: Session, sha: str) -> Words:
    stored = s.exec(
        select(ExplanationWords.words).where(col(ExplanationWords.sha256) == sha)
    ).first()
    if stored is None or hashlib.sha256(stored.encode()).hexdigest() != sha:
        raise StoreError(
            f"a saved result's explanation names words {sha[:12]} that this database "
            "does not hold intact; check the database with `resilience db check`"
        )
    words = parse_words(stored)
    _WORDS[sha] = words
    return words
