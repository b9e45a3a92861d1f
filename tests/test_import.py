"""`sre-trainer import`: a Markdown prep guide becomes a pack that validates; the seed guide
round-trips to the built-in questions; skipped sections are reported; nothing is overwritten
without --force; the draft rubrics are graded as drafts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from helpers import run_trainer, write
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.content.guide_import import build_pack, pack_yaml, parse_guide, slug
from trainer.content.loader import load_file
from trainer.content.models import Bank, Card, RubricPoint
from trainer.grading.concepts import DRAFT_NOTE, grade

SEED = Path("/work/shared/seed/sre-interview-guide.md")
if not SEED.is_file():  # CI lays shared/ beside the clone
    SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "sre-interview-guide.md"


def seed_guide(tmp_path: Path) -> Path:
    """The seed guide, or a copy of the built-in bank written in its shape where shared/
    is not laid out (the test then checks the same round trip)."""
    if SEED.is_file():
        return SEED
    from trainer.content.loader import load_bank

    bank = load_bank(include_user_packs=False)
    lines = ["# CloudMart SRE Interview Preparation Guide", ""]
    for category in dict.fromkeys(c.category for c in bank.cards.values()):
        lines += [f"### **{category} (Questions)**", ""]
        for number, card in enumerate(bank.cards_in(category), start=1):
            lines += [f"**{number}. Q: {card.question}**", "", f'**A:** *"{card.answer}"*', ""]
    return write(tmp_path / "sre-interview-guide.md", "\n".join(lines))


def test_the_seed_guide_round_trips_to_the_builtin_questions(tmp_path, bank):
    guide = seed_guide(tmp_path)
    imported = run_trainer("import", str(guide), "-o", str(tmp_path / "pack"), home=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "wrote 30 card(s) in 4 categories" in imported.stdout
    pack_file = tmp_path / "pack" / "sre-interview-guide.yaml"
    checked = run_trainer("validate", str(pack_file), home=tmp_path)
    assert checked.returncode == 0 and checked.stdout.startswith("valid: 30 cards"), checked
    loaded = Bank()
    assert load_file(pack_file, loaded) == []
    builtin = [c for c in bank.cards.values() if c.deck == "guide"]
    assert [c.question for c in loaded.cards.values()] == [c.question for c in builtin]
    assert [c.answer for c in loaded.cards.values()] == [c.answer for c in builtin]
    assert all(c.rubric_draft and c.rubric for c in loaded.cards.values())
    assert {c.deck for c in loaded.cards.values()} == {"CloudMart SRE Interview Preparation Guide"}
    data = yaml.safe_load(pack_file.read_text())
    assert len(data["pack"]["categories"]) == 4
    assert {c["category"] for c in data["cards"]} == set(data["pack"]["categories"])
    if guide == SEED:  # its monitoring, talking-points and next-steps sections are listed
        skipped = [line for line in imported.stderr.splitlines() if line.startswith("skipped")]
        assert len(skipped) == 13
        assert any(
            "'Next Steps for Interview Preparation' holds no Q:/A: pairs" in s for s in skipped
        )
        assert any("line 5: section 'Application Health Monitoring'" in s for s in skipped)


def test_an_existing_pack_is_never_overwritten_without_force(tmp_path):
    guide = write(
        tmp_path / "mine.md", "## Networking\n\n1. Q: What is a 502?\n\nA: A bad gateway.\n"
    )
    target = write(tmp_path / "pack" / "mine.yaml", "# my own edits\n")
    refused = run_trainer("import", str(guide), "-o", str(tmp_path / "pack"), home=tmp_path)
    assert refused.returncode == 2
    assert "already exists; --force replaces it" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert target.read_text() == "# my own edits\n"
    forced = run_trainer("import", str(guide), "-o", str(target), "--force", home=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "What is a 502?" in target.read_text()
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".import-")]


def test_default_output_is_the_packs_folder_and_taken_ids_are_refused(tmp_path):
    guide = write(tmp_path / "net.md", "## Networking\n\nQ: What is a 502?\nA: A bad gateway.\n")
    first = run_trainer("import", str(guide), home=tmp_path / "home")
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "home" / "packs" / "net.yaml").is_file()
    listed = json.loads(run_trainer("list", "--json", home=tmp_path / "home").stdout)
    assert any(c["id"] == "net-q01" and c["deck"] == "net" for c in listed)
    again = run_trainer("import", str(guide), "-o", str(tmp_path / "other"), home=tmp_path / "home")
    assert again.returncode == 2 and "'net-q01' is already used" in again.stderr
    assert "--prefix" in again.stderr
    renamed = run_trainer(
        "import",
        str(guide),
        "-o",
        str(tmp_path / "other"),
        "--prefix",
        "net2",
        home=tmp_path / "home",
    )
    assert renamed.returncode == 0, renamed.stderr


def test_a_guide_without_questions_writes_nothing(tmp_path):
    guide = write(tmp_path / "notes.md", "# Notes\n\nSome prose.\n\n- a list\n")
    result = run_trainer("import", str(guide), "-o", str(tmp_path / "pack"), home=tmp_path)
    assert result.returncode == 1
    assert "no question and answer pairs found" in result.stderr
    assert "section 'Notes' holds no Q:/A: pairs" in result.stderr
    assert not (tmp_path / "pack").exists()


def test_other_common_shapes_and_what_is_reported():
    guide = parse_guide(
        "# Prep\n\n"
        "Intro text before any question.\n\n"
        "## Kubernetes (Q1-Q3)\n\n"
        "### Q1: How do you debug a CrashLoopBackOff?\n\n"
        "**Answer:** Read the previous container's logs\n"
        "with `kubectl logs --previous`.\n\n"
        "Then check the events:\n"
        "- OOMKilled\n"
        "- failed probes\n\n"
        "```bash\n# not a heading\nkubectl describe pod x\n```\n\n"
        "Question 2: What is a PDB?\n\n"
        "Q3. A question nobody answered?\n\n"
        "A stray remark between questions.\n\n"
        "---\n\n"
        "## Networking\n\n"
        "- Q: What does a 502 mean?\n"
        "- A: “The target failed.”\n"
    )
    assert guide.title == "Prep"
    questions = [c.question for c in guide.cards]
    assert questions == ["How do you debug a CrashLoopBackOff?", "What does a 502 mean?"]
    first = guide.cards[0]
    assert first.category == "Kubernetes"
    assert first.answer.startswith("Read the previous container's logs with `kubectl logs")
    assert "\n\nThen check the events:\n- OOMKilled\n- failed probes" in first.answer
    assert "# not a heading" in first.answer
    assert guide.cards[1].answer == "The target failed."
    assert guide.cards[1].category == "Networking"
    reported = [str(s) for s in guide.skipped]
    assert any("question without an answer: 'What is a PDB?'" in s for s in reported)
    assert any("question without an answer: 'A question nobody answered?'" in s for s in reported)
    assert any("line(s) of text between the questions of 'Kubernetes" in s for s in reported)
    assert "line 1: section 'Prep' holds no Q:/A: pairs (1 line(s))" in reported
    before = parse_guide("A note first.\n\n## Net\n\nQ: What is a 502?\nA: Bad gateway.\n")
    assert [str(s) for s in before.skipped] == [
        "line 1: 1 line(s) before the first heading hold no Q:/A: pairs"
    ]


def test_a_draft_rubric_is_graded_loosely_with_the_draft_note():
    card = Card(
        "d1",
        "incident-response",
        "How do you roll back?",
        "Undo the deploy.",
        rubric=(RubricPoint("Roll back the release", 1, ("roll back release quickly",)),),
        rubric_draft=True,
    )
    result = grade(card, "I would roll back the release.")
    assert result.derived and result.notes[0] == DRAFT_NOTE
    assert result.points[0].matched  # half the words, anywhere: a draft's phrases are long
    reviewed = grade(card._replace(rubric_draft=False), "I would roll back the release.")
    assert not reviewed.derived and not reviewed.points[0].matched


def test_pack_text_loads_back_whatever_the_guide_holds(tmp_path):
    """Quotes, colons, ' #', markup and control characters survive as literal text."""
    guide = parse_guide(
        "## Odd: ones\n\n"
        'Q: What does `[bold]` do in a #channel: "quoted"?\n'
        "A: Nothing #1 - it is 'shown' literally\x1b[31m, [red]as typed[/red].\n"
    )
    pack = build_pack(guide, "Odd pack", "odd")
    path = write(tmp_path / "odd.yaml", pack_yaml(pack, "odd.md"))
    loaded = Bank()
    assert load_file(path, loaded) == []
    card = loaded.cards["odd-q01"]
    assert card.question == 'What does `[bold]` do in a #channel: "quoted"?'
    assert card.answer == "Nothing #1 - it is 'shown' literally, [red]as typed[/red]."
    assert card.category == "odd-ones"


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789", min_size=1, max_size=8)
SENTENCE = st.lists(WORD, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(SENTENCE, st.lists(st.tuples(SENTENCE, SENTENCE), min_size=1, max_size=4)),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(["seed", "plain", "heading"]),
)
def test_questions_and_answers_come_back_as_written(sections, style):
    lines = ["# Title", ""]
    expected = []
    number = 0
    for heading, pairs in sections:
        lines += [f"## {heading}", ""]
        for question, answer in pairs:
            number += 1
            if style == "seed":
                lines += [f"**{number}. Q: {question}**", "", f'**A:** *"{answer}"*', ""]
            elif style == "plain":
                lines += [f"Q: {question}", f"A: {answer}", ""]
            else:
                lines += [f"### Q{number}: {question}", "", f"Answer: {answer}", ""]
            expected.append((question, answer, heading))
    guide = parse_guide("\n".join(lines))
    assert [(c.question, c.answer, c.category) for c in guide.cards] == expected
    assert guide.skipped == ()
    pack = build_pack(guide, "P", "p")
    assert all(re.match(r"^[a-z0-9][a-z0-9._-]*$", c["category"]) for c in pack.cards)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_without_error(text):
    guide = parse_guide(text)
    assert all(c.question and c.answer for c in guide.cards)
    assert all(slug(c.category) for c in guide.cards)
