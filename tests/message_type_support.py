"""Shared by the message-type tests of single sentences: the type and complaint flag the default enricher gives."""

from __future__ import annotations

from nlp.enrich import enricher_for


def kind(text: str) -> tuple[str, bool]:
    """(message type, is_complaint) of ``text`` with the process-wide default enricher."""
    [f] = enricher_for().analyze([text])
    return f["message_type"], f["is_complaint"]
