"""The cards as an Anki deck package (.apkg), written with genanki.

One note per card: the question, the model answer, the rubric points with their weights and
follow-up questions, the red flags and the reviewer's note, tagged with the card's tags. Each
card goes to the subdeck of its category under its own deck (`sre-trainer::guide::monitoring-
observability`). The note type, the decks and every note's GUID are derived from names and
card ids, never from the clock, so importing a newer export updates the notes already in Anki
instead of adding copies. Card text is untrusted: it is HTML-escaped (Anki shows fields as
HTML) and was stripped of control characters when it was loaded.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

from trainer.content.models import Card

ROOT_DECK = "sre-trainer"
MODEL_NAME = "sre-trainer card"
FIELDS = ("Question", "Answer", "Rubric", "Follow-ups", "Red flags", "Reviewer note", "Card")
STYLE = """
.card { font-family: sans-serif; font-size: 18px; text-align: left; max-width: 46em; }
.section { font-weight: bold; margin-top: 1em; }
.weight { letter-spacing: 1px; }
.note { font-style: italic; margin-top: 1em; }
.id { color: gray; font-size: 12px; margin-top: 1.5em; }
"""
BACK = (
    "{{FrontSide}}<hr id=answer>{{Answer}}"
    "{{#Rubric}}<div class=section>What an interviewer listens for</div>{{Rubric}}{{/Rubric}}"
    "{{#Follow-ups}}<div class=section>Follow-ups</div>{{Follow-ups}}{{/Follow-ups}}"
    "{{#Red flags}}<div class=section>Red flags</div>{{Red flags}}{{/Red flags}}"
    "{{#Reviewer note}}<div class=note>Reviewer's note: {{Reviewer note}}</div>"
    "{{/Reviewer note}}<div class=id>{{Card}}</div>"
)


def stable_id(*parts: str) -> int:
    """An id from names alone (the same every export): 2**30 up to about 2**48."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:6], "big")


def note_guid(card: Card) -> str:
    """The GUID Anki matches notes by on import: from the card id only."""
    import genanki

    return genanki.guid_for(ROOT_DECK, card.id)


def deck_name(card: Card) -> str:
    """`sre-trainer::DECK::CATEGORY` (a `::` inside a name would nest another level)."""
    parts = (card.deck, card.category)
    return "::".join([ROOT_DECK, *(p.replace("::", ": ").strip() or "-" for p in parts)])


def _model():
    import genanki

    return genanki.Model(
        stable_id(MODEL_NAME),
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": "{{Question}}", "afmt": BACK}],
        css=STYLE,
        sort_field_index=0,
    )


def _text(value: str) -> str:
    return html.escape(value).replace("\n", "<br>")


def _items(values: Iterable[str]) -> str:
    rows = "".join(f"<li>{value}</li>" for value in values)
    return f"<ul>{rows}</ul>" if rows else ""


def note_fields(card: Card) -> list[str]:
    """The note's fields, as HTML with every piece of card text escaped."""
    rubric = _items(
        f"{_text(p.text)} <span class=weight title='weight {p.weight} of 3'>"
        f"{'●' * p.weight}{'○' * (3 - p.weight)}</span>"
        for p in card.rubric
    )
    if rubric and card.rubric_draft:
        rubric = "<i>(a draft, not yet reviewed)</i>" + rubric
    follow_ups = _items(_text(p.follow_up) for p in card.rubric if p.follow_up)
    flags = _items(_text(flag.claim) for flag in card.red_flags)
    note = _text(card.reviewer_note) if card.reviewer_note else ""
    return [_text(card.question), _text(card.answer), rubric, follow_ups, flags, note, card.id]


def note_tags(card: Card) -> list[str]:
    """The card's tags as Anki takes them: no spaces, no duplicates."""
    tags = ("-".join(tag.split()) for tag in card.tags)
    return list(dict.fromkeys(tag for tag in tags if tag))


def build_decks(cards: Iterable[Card]) -> list:
    """A genanki deck per card deck and category, each holding its cards' notes."""
    import genanki

    model = _model()
    decks: dict[str, genanki.Deck] = {}
    for card in cards:
        name = deck_name(card)
        deck = decks.get(name)
        if deck is None:
            deck = decks[name] = genanki.Deck(stable_id("deck", name), name)
        deck.add_note(
            genanki.Note(
                model=model, fields=note_fields(card), tags=note_tags(card), guid=note_guid(card)
            )
        )
    return list(decks.values())


def write_package(cards: Iterable[Card], target: Path) -> tuple[int, int]:
    """Write the cards to `target` as an .apkg, replacing it only once the new file is whole.
    Returns (notes, decks)."""
    import genanki

    decks = build_decks(cards)
    notes = sum(len(deck.notes) for deck in decks)
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="sre-trainer-anki-") as work:
        collection = Path(work) / "collection.anki2"
        connection = sqlite3.connect(collection)
        try:
            # The notes' modification time is now: Anki updates a note it already has (same
            # GUID) only from a newer one. Row ids count from it, as genanki's own do.
            now = time.time()
            ids = itertools.count(int(now * 1000))
            genanki.Package(decks).write_to_db(connection.cursor(), now, ids)
            connection.commit()
        finally:
            connection.close()
        with tempfile.NamedTemporaryFile(
            dir=target.parent, prefix=f".{target.name}.", delete=False
        ) as handle:
            try:
                with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as package:
                    package.write(collection, "collection.anki2")
                    package.writestr("media", "{}")
            except BaseException:
                os.unlink(handle.name)
                raise
        try:
            os.replace(handle.name, target)
        except OSError:
            os.unlink(handle.name)
            raise
    return notes, len(decks)
