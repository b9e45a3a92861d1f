"""The command line, run as a user runs it (a subprocess): output, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from helpers import ROOT, run_trainer, write

run = run_trainer


def test_version():
    from trainer import __version__

    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"sre-trainer {__version__}"


@pytest.mark.parametrize("command", ["grade", "validate", "list", "stats", "export"])
def test_help_on_every_command(command):
    result = run(command, "--help")
    assert result.returncode == 0 and "usage: sre-trainer" in result.stdout


def test_validate_builtin_bank():
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("valid: 52 cards")  # the guide's 30 and the 2026 loop's 22


def test_validate_reports_every_error_with_position(tmp_path):
    bad = write(
        tmp_path / "bad.yaml",
        "cards:\n  - id: x1\n    category: nope\n    question: q\n    answer: a\n    colour: red\n",
    )
    broken = write(tmp_path / "broken.yaml", "cards: [\n")
    result = run("validate", str(bad), str(broken))
    assert result.returncode == 1
    assert f"{bad}:3:15: cards[0].category: unknown category 'nope'" in result.stdout
    assert f"{bad}:6:5: cards[0].colour: unknown key" in result.stdout
    assert f"{broken}:2:1: invalid YAML" in result.stdout
    assert "invalid: 3 error(s)" in result.stdout


def test_grade_json(bank):
    answer = "bump provisioned capacity or switch to on-demand, retry with exponential backoff"
    result = run("grade", "--card", "q02", "--json", stdin=answer)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"card", "score", "matched", "missed"}
    assert data["card"] == "q02" and 0 < data["score"] <= 100
    assert len(data["matched"]) + len(data["missed"]) == len(bank.card("q02").rubric)
    start, end = data["matched"][0]["span"]
    assert answer[start:end]


def test_grade_text_output():
    answer = (
        "Retry the throttled writes with exponential backoff and jitter so clients stop "
        "hammering the table. Never bother with DAX. Contributor insights, hot key."
    )
    result = run("grade", "--card", "q02", stdin=answer)
    assert result.returncode == 0
    assert result.stdout.startswith("q02: ") and "/100" in result.stdout
    marks = {line.strip()[:1] for line in result.stdout.splitlines()[1:] if "] " in line}
    assert marks == {"+", "~", "x", "-"}, result.stdout
    assert "~ part credit (bare term or gist)" in result.stdout


def test_grade_charges_the_red_flags_on_every_card_from_a_cached_bank():
    answer = "Raise the WCU, and switch authentication off on the API for now."
    for _ in range(2):  # the first run writes the bank cache, the second reads it
        result = run("grade", "--card", "q02", stdin=answer)
        assert result.returncode == 0, result.stderr
        assert "! red flag: Turning authentication or authorization off" in result.stdout


def test_grade_jsonl_keeps_order_and_reports_bad_lines():
    lines = [
        {"card": "q02", "answer": "exponential backoff with jitter"},
        {"card": "q99", "answer": "whatever"},
        {"card": "q04", "answer": "kubectl describe pod and look at the events"},
        {"card": "q04", "answer": "   "},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\nnot json\n"
    result = run("grade", "--jsonl", stdin=stdin)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("card") for o in out] == ["q02", "q99", "q04", "q04", None]
    assert "score" in out[0] and "score" in out[2]
    assert "unknown card id" in out[1]["error"] and "empty" in out[3]["error"]
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("grade", "--card", "q99"), "answer", "unknown card id 'q99'"),
        (("grade", "--card", "q01"), "   \n", "the answer is empty"),
        (("grade", "--card", "q01"), "x" * 1_048_576, "the limit is 20,000"),
        (("grade",), "answer", "--card ID is required"),
        (("list", "--category", "cooking"), "", "unknown category 'cooking'"),
    ],
    ids=["unknown-card", "empty-answer", "1mb-answer", "no-card", "unknown-category"],
)
def test_bad_input_gives_one_line_error(args, stdin, message):
    result = run(*args, stdin=stdin)
    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_list_json_and_category():
    result = run("list", "--json")
    cards = json.loads(result.stdout)
    guide = [c["id"] for c in cards if c["deck"] == "guide"]
    assert guide == [f"q{n:02d}" for n in range(1, 31)]  # the guide's 30, unchanged, first
    assert len(cards) - len(guide) >= 20 and all(c["deck"] == "sre-loop-2026" for c in cards[30:])
    assert {"id", "deck", "category", "question", "due", "last_score", "lapses"} <= set(cards[0])
    assert cards[0]["state"] == "new" and cards[0]["last_score"] is None
    security = run("list", "--category", "security-compliance", "--deck", "guide")
    lines = security.stdout.splitlines()
    assert len(lines) == 6 and all("security-compliance" in line for line in lines)


def test_broken_user_pack_is_a_warning_not_a_failure(tmp_path):
    write(tmp_path / "home" / "packs" / "broken.yaml", "cards: [\n")
    result = run("list", home=tmp_path / "home")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 52
    assert "broken.yaml:2:1" in result.stderr and "skipped" in result.stderr


def test_bank_option_adds_a_pack(tmp_path):
    write(
        tmp_path / "pack" / "mine.yaml",
        "cards:\n  - id: mine1\n    category: incident-"
        "response\n    question: What is toil?\n    answer: Manual, repetitive work that "
        "automation can remove.\n",
    )
    result = run("--bank", str(tmp_path / "pack"), "list")
    assert "mine1" in result.stdout
    graded = run(
        "grade",
        "--bank",
        str(tmp_path / "pack"),
        "--card",
        "mine1",
        "--json",
        stdin="repetitive manual work you can automate",
    )
    data = json.loads(graded.stdout)
    assert data["derived_rubric"] is True and data["score"] > 0


def test_non_tui_commands_do_not_import_textual():
    """The core and every non-TUI command run without importing Textual (they start fast)."""
    code = (
        "import sys, io, contextlib\n"
        "from trainer import cli\n"
        "for argv in (['list'], ['validate'], ['scenario', 'list'], ['query', 'list'],\n"
        "             ['scenario', 'show', 'error-rate-50'],\n"
        "             ['scenario', 'play', 'error-rate-50', '--model-path']):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        cli.main(argv)\n"
        "import trainer.content.loader, trainer.content.cache, trainer.grading.concepts\n"
        "import trainer.grading.promql, trainer.store.db, trainer.store.export\n"
        "import trainer.study.scheduler, trainer.study.progress, trainer.study.quiz\n"
        "import trainer.study.flashcards, trainer.study.mock, trainer.study.mock_plain\n"
        "import trainer.study.drills, trainer.study.drill_session\n"
        "import trainer.scenarios.engine, trainer.scenarios.scoring, trainer.scenarios.validate\n"
        "import trainer.scenarios.report, trainer.store.salvage, trainer.safe_text\n"
        "import trainer.crash, trainer.private_files, trainer.scenarios.session\n"
        "import trainer.scenarios.templates, trainer.scenarios.loader\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


def test_list_names_each_cards_deck_and_filters_by_deck(tmp_path):
    write(
        tmp_path / "pack" / "mine.yaml",
        "pack:\n  name: mine\ncards:\n  - id: mine1\n    category: incident-response\n"
        "    question: What is toil?\n    answer: Manual, repetitive work.\n",
    )
    listed = json.loads(run("--bank", str(tmp_path / "pack"), "list", "--json").stdout)
    assert {c["deck"] for c in listed} == {"guide", "sre-loop-2026", "mine"}
    only = json.loads(
        run("--bank", str(tmp_path / "pack"), "list", "--deck", "mine", "--json").stdout
    )
    assert [c["id"] for c in only] == ["mine1"]
    unknown = run("list", "--deck", "nope")
    assert unknown.returncode == 2 and "unknown deck 'nope'" in unknown.stderr


def test_grade_does_not_load_the_store(tmp_path):
    """Grading touches no progress, so it starts without SQLite (a third of its start-up)."""
    code = (
        "import contextlib, io, sys\n"
        "from trainer import cli\n"
        "sys.stdin = io.StringIO('I would roll back the deploy')\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    status = cli.main(['grade', '--card', 'q01'])\n"
        "print(status, 'sqlite3' in sys.modules, 'trainer.store.db' in sys.modules)\n"
    )
    env = {**os.environ, "SRE_TRAINER_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.stdout.split() == ["0", "False", "False"], result.stderr


def test_deck_before_or_after_list_limits_it_and_an_unknown_one_is_refused(tmp_path):
    home = tmp_path / "home"
    for args in (["--deck", "guide", "list"], ["list", "--deck", "guide"]):
        listed = json.loads(run(*args, "--json", home=home).stdout)
        assert {c["deck"] for c in listed} == {"guide"} and len(listed) == 30, args
    both = json.loads(
        run("list", "--deck", "guide", "--deck", "sre-loop-2026", "--json", home=home).stdout
    )
    assert {c["deck"] for c in both} == {"guide", "sre-loop-2026"}
    refused = run("--deck", "nosuch", "list", home=home)
    assert refused.returncode != 0 and "unknown deck 'nosuch'" in refused.stderr


def test_a_mock_takes_a_packs_categories_and_scenarios(tmp_path):
    """What `list` and `scenario list` show from a --bank folder, `mock` accepts too."""
    bank = tmp_path / "bank"
    write(
        bank / "net.yaml",
        "pack:\n  name: net\n  categories: [networking]\ncards:\n  - id: net01\n"
        "    category: networking\n    question: What does a 502 tell you?\n"
        "    answer: The target sent an invalid response.\n",
    )
    source = (ROOT / "scenarios" / "error-rate-50.yaml").read_text(encoding="utf-8")
    write(bank / "my-copy.yaml", source.replace("id: error-rate-50", "id: my-copy", 1))
    home = tmp_path / "home"
    by_category = run(
        "mock", "--plain", "--bank", str(bank), "--categories", "networking",
        "--questions", "1", "--seed", "1", "--no-follow-ups",
        stdin="A bad gateway: the upstream target failed.\n\n", home=home,
    )  # fmt: skip
    assert by_category.returncode == 0, by_category.stderr
    assert "What does a 502 tell you?" in by_category.stdout
    with_scenario = run(
        "mock", "--plain", "--bank", str(bank), "--scenario", "my-copy",
        "--questions", "1", "--seed", "1", "--no-follow-ups", stdin="", home=home,
    )  # fmt: skip
    assert "unknown scenario" not in with_scenario.stderr, with_scenario.stderr
    assert with_scenario.returncode == 0, with_scenario.stderr
