"""`export --format anki`: an .apkg (a zip holding an SQLite collection) with a note per card,
a subdeck per category, escaped HTML, and ids that stay the same from one export to the next."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from helpers import run_trainer, write

from trainer.content.models import Card, RubricPoint
from trainer.export.anki import FIELDS, note_fields, write_package


def read_package(path: Path, into: Path) -> dict:
    """What Anki would read: the notes (fields, tags, GUID, model) and the decks."""
    with zipfile.ZipFile(path) as package:
        assert {"collection.anki2", "media"} <= set(package.namelist())
        package.extract("collection.anki2", into)
    db = sqlite3.connect(into / "collection.anki2")
    try:
        notes = [
            {"guid": guid, "model": mid, "tags": tags.split(), "fields": fields.split("\x1f")}
            for guid, mid, tags, fields in db.execute("SELECT guid, mid, tags, flds FROM notes")
        ]
        decks_json, models_json = db.execute("SELECT decks, models FROM col").fetchone()
        cards = db.execute("SELECT nid, did FROM cards").fetchall()
    finally:
        db.close()
    decks = {int(k): v["name"] for k, v in json.loads(decks_json).items() if v["name"] != "Default"}
    return {"notes": notes, "decks": decks, "models": json.loads(models_json), "cards": cards}


def test_the_builtin_bank_exports_as_a_deck_anki_can_read(tmp_path, bank):
    result = run_trainer(
        "export", "--format", "anki", "-o", str(tmp_path / "deck.apkg"), home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    decks = {(c.deck, c.category) for c in bank.cards.values()}
    assert f"exported {len(bank.cards)} card(s) in {len(decks)} deck(s)" in result.stderr
    package = read_package(tmp_path / "deck.apkg", tmp_path / "open")
    assert len(package["notes"]) >= 30 and len(package["decks"]) >= 4
    assert sorted(package["decks"].values()) == sorted(
        f"sre-trainer::{deck}::{category}" for deck, category in decks
    )
    assert len(package["cards"]) == len(package["notes"])  # one card (question side) per note
    by_id = {note["fields"][-1]: note for note in package["notes"]}
    assert set(by_id) == set(bank.cards)
    q01 = by_id["q01"]["fields"]
    card = bank.cards["q01"]
    assert q01[0] == card.question and len(q01) == len(FIELDS)
    assert "●●●" in q01[2] and card.rubric[0].text.split(" - ")[0] in q01[2]
    assert card.rubric[0].follow_up.split("?")[0] in q01[3]
    assert set(by_id["q01"]["tags"]) == set(card.tags)
    noted = next(c for c in bank.cards.values() if c.reviewer_note)
    assert by_id[noted.id]["fields"][5]  # the reviewer's note


def test_notes_decks_and_note_type_keep_their_ids_between_exports(tmp_path, bank):
    first = read_package(_export(bank, tmp_path / "a.apkg"), tmp_path / "a")
    second = read_package(_export(bank, tmp_path / "b.apkg"), tmp_path / "b")
    guids = [n["guid"] for n in first["notes"]]
    assert len(set(guids)) == len(guids) == len(bank.cards)
    assert sorted(guids) == sorted(n["guid"] for n in second["notes"])
    assert first["decks"] == second["decks"]
    assert set(first["models"]) == set(second["models"])
    assert {n["model"] for n in first["notes"]} == {int(m) for m in first["models"]}


def _export(bank, target: Path) -> Path:
    decks = {(c.deck, c.category) for c in bank.cards.values()}
    assert write_package(bank.cards.values(), target) == (len(bank.cards), len(decks))
    return target


def test_user_packs_are_included_in_their_own_deck(tmp_path, bank):
    write(
        tmp_path / "home" / "packs" / "net.yaml",
        "pack:\n  name: Networking\n  categories: [networking]\ncards:\n"
        "  - id: net01\n    category: networking\n    question: What is a 502?\n"
        "    answer: A bad gateway.\n    tags: [elb, http errors]\n",
    )
    out = tmp_path / "deck.apkg"
    result = run_trainer("export", "--format", "anki", "-o", str(out), home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    package = read_package(out, tmp_path / "open")
    assert len(package["notes"]) == len(bank.cards) + 1
    assert "sre-trainer::Networking::networking" in package["decks"].values()
    mine = next(n for n in package["notes"] if n["fields"][-1] == "net01")
    assert mine["tags"] == ["elb", "http-errors"]


def test_card_text_is_escaped_html():
    card = Card(
        "x1",
        "incident-response",
        "What does <script>alert(1)</script> do?",
        "Nothing & nothing",
        rubric=(RubricPoint("Say <b>why</b>", 2, ("why",), "And <i>how</i>?"),),
        reviewer_note="<img src=x onerror=alert(1)>",
    )
    fields = note_fields(card)
    assert fields[0] == "What does &lt;script&gt;alert(1)&lt;/script&gt; do?"
    assert fields[1] == "Nothing &amp; nothing"
    assert "Say &lt;b&gt;why&lt;/b&gt;" in fields[2] and "●●○" in fields[2]
    assert "And &lt;i&gt;how&lt;/i&gt;?" in fields[3]
    assert "<img" not in fields[5]


def test_anki_needs_an_output_file(tmp_path):
    result = run_trainer("export", "--format", "anki", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "sre-trainer: export: --format anki writes a file: give it with -o DECK.apkg"
    )
