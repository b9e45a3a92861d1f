"""Loader: valid files load into typed objects; each kind of invalid file is reported with its
position and field; a broken user pack never takes the built-in bank down."""

from __future__ import annotations

from pathlib import Path

from helpers import write

from trainer.content.loader import load_bank, load_files
from trainer.content.models import Bank, Card

VALID = """\
cards:
  - id: net01
    category: incident-response
    question: What does a 502 from the load balancer mean?
    answer: The target returned an invalid response or none at all.
    tags: [networking]
    rubric:
      - point: The upstream target failed, not the load balancer itself
        weight: 3
        phrases: [upstream target, backend failed]
    red_flags:
      - claim: Blaming the client
        phrases: [client error]
"""


def load_text(tmp_path: Path, text: str, name: str = "pack.yaml") -> Bank:
    return load_files([write(tmp_path / name, text)])


def only_error(bank: Bank):
    assert len(bank.errors) == 1, [str(e) for e in bank.errors]
    return bank.errors[0]


def test_valid_file_gives_typed_cards(tmp_path):
    bank = load_text(tmp_path, VALID)
    assert bank.errors == []
    card = bank.card("net01")
    assert isinstance(card, Card)
    assert card.rubric[0].weight == 3
    assert card.rubric[0].phrases == ("upstream target", "backend failed")
    assert card.red_flags[0].claim == "Blaming the client"
    assert card.tags == ("networking",)


def test_syntax_error_reports_line_and_column(tmp_path):
    bank = load_text(tmp_path, "cards:\n  - id: x\n    question: [unclosed\n")
    error = only_error(bank)
    assert error.line == 4 and error.column >= 1
    assert "invalid YAML" in error.message
    assert str(error).startswith(f"{tmp_path / 'pack.yaml'}:4:")


def test_unknown_key_is_an_error_with_position(tmp_path):
    bank = load_text(tmp_path, VALID.replace("    tags:", "    colour: red\n    tags:"))
    error = only_error(bank)
    assert (error.line, error.column) == (6, 5)
    assert error.field == "cards[0].colour"
    assert "unknown key" in error.message and "expected one of" in error.message


def test_duplicate_ids_are_errors(tmp_path):
    second = VALID.split("\n", 1)[1]
    bank = load_text(tmp_path, VALID + second)
    error = only_error(bank)
    assert error.field == "cards[1].id"
    assert "duplicate id 'net01'" in error.message
    assert error.line == 14


def test_duplicate_keys_are_errors(tmp_path):
    bank = load_text(tmp_path, VALID.replace("    tags:", "    question: again\n    tags:"))
    error = only_error(bank)
    assert error.field == "cards[0].question" and error.message == "duplicate key"


def test_wrong_types_say_what_was_expected(tmp_path):
    text = VALID.replace("weight: 3", "weight: heavy").replace("tags: [networking]", "tags: 5")
    bank = load_text(tmp_path, text)
    messages = {e.field: e.message for e in bank.errors}
    assert messages["cards[0].rubric[0].weight"].startswith("expected a whole number from 1 to 3")
    assert messages["cards[0].tags"].startswith("expected a list of text")
    assert "net01" not in bank.cards


def test_all_errors_of_a_file_are_reported_at_once(tmp_path):
    text = (
        VALID.replace("category: incident-response", "category: nonsense").replace(
            "weight: 3", "weight: 9"
        )
        + "extra: 1\n"
    )
    bank = load_text(tmp_path, text)
    fields = sorted(e.field for e in bank.errors)
    assert fields == ["cards[0].category", "cards[0].rubric[0].weight", "extra"]


def test_missing_required_key_names_it(tmp_path):
    bank = load_text(
        tmp_path,
        VALID.replace("    answer: The target returned an invalid response or none at all.\n", ""),
    )
    error = only_error(bank)
    assert error.field == "cards[0]" and "missing required key answer" in error.message
    assert error.line == 2


def test_empty_and_unreadable_files(tmp_path):
    for text in ("", "# only a comment\n\n"):
        error = only_error(load_text(tmp_path, text))
        assert (error.line, error.column) == (1, 1)
        assert error.message.startswith("empty document: expected a mapping")
    bank = load_files([tmp_path / "missing.yaml"])
    assert "cannot read file" in only_error(bank).message
    (tmp_path / "latin1.yaml").write_bytes(b"cards: [\xe9]\n")
    assert "not UTF-8" in only_error(load_files([tmp_path / "latin1.yaml"])).message


def test_top_level_must_be_a_mapping(tmp_path):
    error = only_error(load_text(tmp_path, "- just\n- a list\n"))
    assert error.line == 1 and "expected a mapping" in error.message


def test_pack_may_declare_its_own_categories(tmp_path):
    text = "pack:\n  name: Mine\n  categories: [networking]\n" + VALID.replace(
        "incident-response", "networking"
    )
    bank = load_text(tmp_path, text)
    assert bank.errors == [] and bank.card("net01").category == "networking"


def test_broken_user_pack_never_takes_builtin_bank_down(tmp_path):
    packs = tmp_path / "packs"
    write(packs / "good.yaml", VALID)
    write(packs / "broken.yaml", "cards: [oops\n")
    write(packs / "clash.yaml", VALID.replace("net01", "q01"))
    bank = load_bank(pack_dirs=[packs], include_user_packs=False)
    assert len([c for c in bank.cards if c.startswith("q")]) == 30
    assert "net01" in bank.cards
    assert "question_bank" in bank.card("q01").source
    broken = {Path(e.path).name for e in bank.errors}
    assert broken == {"broken.yaml", "clash.yaml"}


def test_user_packs_folder_is_read_from_home(isolated_home):
    write(isolated_home / "packs" / "mine.yaml", VALID)
    bank = load_bank()
    assert "net01" in bank.cards and bank.errors == []


def test_unknown_card_id_message(bank):
    try:
        bank.card("q99")
    except KeyError as exc:
        assert "unknown card id 'q99'" in exc.args[0]
    else:
        raise AssertionError("expected KeyError")


def test_unquoted_hash_that_cuts_text_is_reported(tmp_path):
    bank = load_text(
        tmp_path,
        VALID.replace(
            "question: What does a 502 from the load balancer mean?",
            "question: What does issue #502 from the load balancer mean?",
        ),
    )
    error = only_error(bank)
    assert error.field == "cards[0].question" and "' #' starts a YAML comment" in error.message
    quoted = load_text(
        tmp_path,
        VALID.replace(
            "question: What does a 502 from the load balancer mean?",
            'question: "What does issue #502 mean?"  # a real comment is fine',
        ),
    )
    assert quoted.errors == [] and quoted.card("net01").question == "What does issue #502 mean?"


def test_real_comments_after_values_are_fine(tmp_path):
    bank = load_text(
        tmp_path,
        VALID.replace(
            "    category: incident-response", "    category: incident-response  # the guide's"
        ),
    )
    assert bank.errors == []


def test_a_tab_used_for_indentation_is_named(tmp_path):
    error = only_error(load_text(tmp_path, VALID.replace("    answer:", "\tanswer:")))
    assert error.line == 5
    assert error.message == "tab character used for indentation at line 5: use spaces"


def test_an_unterminated_quote_is_reported_where_it_opens(tmp_path):
    text = VALID.replace("question: What", 'question: "What')
    error = only_error(load_text(tmp_path, text))
    assert (error.line, error.column) == (4, 15)
    assert error.message.startswith('unterminated quote: the text opened with " at line 4')


def test_non_text_values_say_the_field_must_be_text(tmp_path):
    text = (
        VALID.replace(
            "answer: The target returned an invalid response or none at all.", "answer: 123"
        )
        .replace("question: What does", "question: yes\n    x_question: What does")
        .replace("tags: [networking]", "tags: [networking, 4.5, [nested]]")
        .replace("    red_flags:", "    reviewer_note: true\n    red_flags:")
    )
    text = text.replace("    x_question: What does a 502 from the load balancer mean?\n", "")
    messages = {e.field: e.message for e in load_text(tmp_path, text).errors}
    assert messages["cards[0].answer"].startswith("answer must be text; got the number 123")
    assert messages["cards[0].question"].startswith("question must be text; got yes")
    assert messages["cards[0].tags[1]"].startswith("each of tags must be text; got the number")
    assert messages["cards[0].tags[2]"] == "each of tags must be text; got a list"
    assert messages["cards[0].reviewer_note"].startswith("reviewer_note must be text")


def test_aliases_are_refused_with_their_line(tmp_path):
    text = VALID.replace("tags: [networking]", "tags: &t [networking]") + (
        "  - id: net02\n    category: incident-response\n    question: Again?\n"
        "    answer: Yes.\n    tags: *t\n"
    )
    error = only_error(load_text(tmp_path, text))
    assert error.line == 18 and "alias *t is not allowed" in error.message


def test_a_star_in_text_is_not_an_alias(tmp_path):
    text = VALID.replace("none at all.", "none at all (rate(x[5m]) * 100, *args).")
    assert load_text(tmp_path, text).errors == []


def test_symlink_loops_and_broken_links_in_a_pack_are_reported(tmp_path):
    packs = tmp_path / "packs"
    write(packs / "good.yaml", VALID)
    (packs / "loop.yaml").symlink_to(packs / "loop.yaml")
    (packs / "gone.yaml").symlink_to(packs / "missing.yaml")
    bank = load_bank(pack_dirs=[packs], include_user_packs=False)
    messages = {Path(e.path).name: e.message for e in bank.errors}
    assert messages["loop.yaml"].startswith("symlink loop")
    assert messages["gone.yaml"].startswith("broken symlink")
    assert "net01" in bank.cards
    (tmp_path / "looped").symlink_to(tmp_path / "looped")
    bank = load_bank(pack_dirs=[tmp_path / "looped"], include_user_packs=False)
    assert only_error(bank).message.startswith("symlink loop")


def test_control_characters_are_stripped_at_load(tmp_path):
    text = VALID.replace(
        "question: What does a 502 from the load balancer mean?",
        'question: "What does a 502 \\e]52;c;eA==\\a mean? \\e[2J"',
    )
    bank = load_text(tmp_path, text)
    assert bank.errors == [] and bank.card("net01").question == "What does a 502  mean?"


QUERY = """\
queries:
  - id: q-one
    group: g
    kind: promql
    measures: Something per pod
    query: 'rate(x[5m])'
    accepted: ['sum by (pod) (rate(x[5m]))']
    wrong:
      - answer: 'x'
        hint: A counter needs rate().
"""


def test_query_item_with_accepted_and_wrong_answers(tmp_path):
    bank = load_text(tmp_path, QUERY)
    assert bank.errors == []
    query = bank.queries["q-one"]
    assert query.accepted == ("sum by (pod) (rate(x[5m]))",)
    assert query.wrong[0].hint == "A counter needs rate()." and query.wrong[0].verdict == "wrong"


def test_a_command_answer_that_cannot_be_parsed_is_a_load_error(tmp_path):
    text = QUERY.replace("kind: promql", "kind: shell").replace(
        "accepted: ['sum by (pod) (rate(x[5m]))']", """accepted: ["kubectl get pods -l 'app=x"]"""
    )
    errors = [e for e in load_text(tmp_path, text).errors if "command line" in e.message]
    assert errors and errors[0].line == 7 and "No closing quotation" in errors[0].message


def test_query_item_errors_name_file_line_and_field(tmp_path):
    cases = [
        (QUERY.replace("    accepted:", "    colour: red\n    accepted:"), 7, "unknown key"),
        (
            QUERY.replace("sum by (pod) (rate(x[5m]))", "sum(rate(x[5m])"),
            7,
            "expected valid PromQL",
        ),
        (
            QUERY.replace("        hint:", "        verdict: maybe\n        hint:"),
            10,
            "expected one of",
        ),
        (QUERY.replace("      - answer: 'x'", "      - answer: 'rate(x[5m])'"), 9, "also accepted"),
    ]
    for text, line, message in cases:
        error = only_error(load_text(tmp_path, text))
        assert error.line == line and message in error.message, str(error)
        assert str(error).startswith(f"{tmp_path / 'pack.yaml'}:{line}:")


def test_cards_belong_to_the_deck_their_pack_names(tmp_path):
    from trainer.content.loader import load_bank

    folder = tmp_path / "packs"
    write(
        folder / "named.yaml",
        "pack:\n  name: my-deck\ncards:\n  - id: mine1\n    category: incident-response\n"
        "    question: What is toil?\n    answer: Manual, repetitive work.\n",
    )
    write(
        folder / "plain.yaml",
        "cards:\n  - id: mine2\n    category: incident-response\n"
        "    question: What is an SLO?\n    answer: A target for an SLI.\n",
    )
    bank = load_bank(pack_dirs=[folder], include_user_packs=False)
    assert bank.cards["q01"].deck == "guide"
    assert (bank.cards["mine1"].deck, bank.cards["mine2"].deck) == ("my-deck", "plain")
    assert bank.decks() == ["guide", "sre-loop-2026", "my-deck", "plain"]


def test_red_flags_on_every_card_are_built_in_only(tmp_path, bank):
    assert len(bank.red_flags) >= 5 and all(flag.phrases for flag in bank.red_flags)
    packs = tmp_path / "packs"
    write(
        packs / "flags.yaml",
        "red_flags:\n  - claim: Something bad\n    phrases: [do the bad thing]\n",
    )
    loaded = load_bank(pack_dirs=[packs], include_user_packs=False)
    error = only_error(loaded)
    assert error.field == "red_flags" and error.line == 2
    assert "built in" in error.message and "cards[].red_flags" in error.message
    assert len(loaded.red_flags) == len(bank.red_flags)


def test_a_rubric_point_may_carry_gist_phrases(tmp_path):
    text = VALID.replace(
        "        phrases: [upstream target, backend failed]\n",
        "        phrases: [upstream target, backend failed]\n        gist: [backend]\n",
    )
    bank = load_text(tmp_path, text)
    assert bank.errors == []
    assert bank.card("net01").rubric[0].gist == ("backend",)
    assert load_text(tmp_path, VALID).card("net01").rubric[0].gist == ()


def test_gist_must_be_a_list_of_text(tmp_path):
    text = VALID.replace(
        "        phrases: [upstream target, backend failed]\n",
        "        phrases: [upstream target, backend failed]\n        gist: []\n",
    )
    error = only_error(load_text(tmp_path, text))
    assert error.line == 11 and "gist" in error.field and "at least 1" in error.message
