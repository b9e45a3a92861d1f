"""The mock as an interviewer who listens: follow-ups on the weightiest missed or unexplained
points (graded on their point, stored, in the report), a loop's mix (presets, random order, a
walk-through that shows what it grades), speak-aloud self-grading, a clock that resumes where it
stopped, one mock at a time, remembered settings, and a report worth keeping."""

from __future__ import annotations

import json
import sqlite3

import pytest

from trainer.content.models import Bank, Card, RubricPoint
from trainer.store.db import DB_NAME, Store
from trainer.store.schema import MIGRATIONS
from trainer.study.mock import MockConfig, MockSession, choose_questions, scenario_card
from trainer.study.mock_follow_ups import (
    MAX_FOLLOW_UPS,
    grade_follow_up,
    missing_follow_ups,
    plan_follow_ups,
)
from trainer.study.mock_presets import PRESETS
from trainer.study.mock_report import report_markdown
from trainer.study.service import MockWaiting, StudyService
from trainer.study.settings import SettingsError, mock_config

VAGUE = "I would look at some graphs and see what is going on"


@pytest.fixture
def service(bank, store, clock):
    return StudyService(bank, store, clock=clock, fuzzing=False)


@pytest.fixture(scope="module")
def scenarios():
    from trainer.scenarios.loader import load_scenarios

    return load_scenarios(include_user_packs=False)[0]


def answer_all_follow_ups(service, session, clock, text="I do not know", seconds=10):
    while session.current_follow_up is not None:
        session.begin_question()
        clock.advance(seconds=seconds)
        service.submit_mock(session, text)


# -- planning and grading follow-ups ------------------------------------------------------
def test_follow_ups_probe_the_weightiest_missed_points_with_their_prompts(bank):
    from trainer.grading.concepts import grade

    card = bank.card("q01")
    planned = plan_follow_ups(card, VAGUE, grade(card, VAGUE))
    assert 1 <= len(planned) <= MAX_FOLLOW_UPS
    assert all(f.kind == "missed" for f in planned)
    heaviest = max(p.weight for p in card.rubric)
    assert planned[0].point.weight == heaviest
    assert planned[0].prompt == planned[0].point.follow_up
    assert all(f.point.weight >= 2 for f in planned[1:])


def test_a_bare_claim_is_asked_back_in_the_candidates_words(bank):
    from trainer.grading.concepts import grade

    card = bank.card("q02")
    answer = "on-demand, DAX, backoff, alarms"  # a keyword list: claims without the why
    result = grade(card, answer)
    bare = [p for p in result.points if p.status == "partial"]
    assert bare, "the grader should hear these as bare terms"
    planned = plan_follow_ups(card, answer, result)
    why = [f for f in planned if f.kind == "why"]
    assert why and why[0].prompt.startswith('You said "')
    quoted = why[0].prompt.split('"')[1]
    assert quoted.lower() in answer.lower()


def test_points_without_a_prompt_are_never_asked_as_missed():
    card = Card(
        "pack01",
        "incident-response",
        "What do you do first?",
        "Declare an incident.",
        rubric=(RubricPoint("Declare an incident", 3, ("declare an incident",)),),
    )
    from trainer.grading.concepts import grade

    assert plan_follow_ups(card, "no idea at all", grade(card, "no idea at all")) == []


def test_a_follow_up_is_graded_on_its_point_only(bank):
    from trainer.grading.concepts import grade

    card = bank.card("q03")
    follow_up = plan_follow_ups(card, VAGUE, grade(card, VAGUE))[0]
    good = (
        "I would check prometheus_tsdb_head_series and the TSDB status page to find which "
        "metric names carry the most series, with topk of count by __name__"
    )
    assert grade_follow_up(card, follow_up, good) >= 70
    assert grade_follow_up(card, follow_up, "restart prometheus with more memory") == 0


def test_a_short_follow_up_answer_can_earn_full_marks(bank):
    """A follow-up asks for one point: a sentence that explains it is the whole answer, not
    a brief one held below the top band."""
    from trainer.grading.concepts import grade

    card = bank.card("q03")
    follow_up = plan_follow_ups(card, VAGUE, grade(card, VAGUE))[0]
    answer = "I'd find the metric with the most series using topk on count by __name__."
    assert grade_follow_up(card, follow_up, answer) == 100


# -- follow-ups in a session, stored and reported ------------------------------------------
def test_follow_ups_are_asked_stored_and_reported(service, store, clock):
    session = service.start_mock(MockConfig(questions=2, seed=1, follow_up_seconds=60))
    session.begin_question()
    clock.advance(seconds=40)
    main = service.submit_mock(session, VAGUE)
    assert main.planned and session.current_follow_up is main.planned[0]
    assert session.slot == "0.f1" and session.position == 0
    session.begin_question()
    assert session.question_left() == 60  # its own short clock
    clock.advance(seconds=20)
    service.submit_mock(session, "I would roll back")
    answer_all_follow_ups(service, session, clock)
    assert session.slot == "1"
    session.begin_question()
    service.submit_mock(session, VAGUE)
    answer_all_follow_ups(service, session, clock)
    report = service.finish_mock(session)
    asked = report["follow_ups"]
    assert len(asked) == sum(len(q["follow_ups"]) for q in report["questions"]) >= 2
    assert {"card", "point", "prompt", "answer", "score"} <= set(asked[0])
    assert asked[0]["answer"] == "I would roll back" and asked[0]["card"] == main.card.id
    assert report["follow_up_score"] == pytest.approx(
        sum(f["score"] for f in asked) / len(asked), abs=0.05
    )
    # The contract with the stats side: the stored report JSON carries the follow-up scores.
    stored = json.loads(
        store.db.execute("SELECT report FROM mocks WHERE id = ?", (session.mock_id,)).fetchone()[0]
    )
    assert stored["follow_ups"] == asked and stored["follow_up_score"] == report["follow_up_score"]
    for key in ("started_at", "ended_at", "practice", "time_used", "time_allowed"):
        assert key in stored
    assert stored["time_used"] == 40 + 20 + 10 * (len(asked) - 1)
    assert stored["practice"] is False
    # Follow-ups are not quiz attempts: only the two main answers count in the stats.
    assert [a.answer for a in store.attempts()] == [VAGUE, VAGUE]


def test_no_follow_ups_when_turned_off_or_nothing_was_said(service, clock):
    session = service.start_mock(MockConfig(questions=2, seed=1, follow_ups=False))
    session.begin_question()
    service.submit_mock(session, VAGUE)
    assert session.current_follow_up is None and session.slot == "1"
    on = service.start_mock(MockConfig(questions=2, seed=1), replace=True)
    on.begin_question()
    service.skip_question(on)
    assert on.current_follow_up is None  # a skipped question is not probed
    on.begin_question()
    clock.advance(seconds=301)
    service.submit_mock(on, "", timed_out=True)
    assert on.current_follow_up is None  # nor one left empty


def test_time_running_out_drops_the_follow_ups_not_yet_asked(service, clock):
    session = service.start_mock(
        MockConfig(questions=1, seed=1, seconds_per_question=60, total_seconds=70)
    )
    session.begin_question()
    clock.advance(seconds=30)
    service.submit_mock(session, VAGUE)
    session.begin_question()
    clock.advance(seconds=45)
    assert session.expired() == "total"
    service.submit_mock(session, "half a follow-up", timed_out=True)
    report = service.finish_mock(session)
    assert [f["outcome"] for f in report["follow_ups"]] == ["timeout"]


# -- the clock: resume where it stopped ----------------------------------------------------
def test_resume_keeps_the_time_used_and_the_draft(service, bank, store, clock):
    session = service.start_mock(MockConfig(questions=2, seed=4, seconds_per_question=300))
    session.begin_question()
    clock.advance(seconds=100)
    service.save_mock_draft(session, "half an answer")  # kept a second after the last key
    clock.advance(minutes=30)  # the app crashed; the candidate reads and thinks meanwhile
    resumed = StudyService(bank, store, clock=clock).resume_mock()
    resumed.begin_question()
    assert resumed.question_left() == 200  # no free time for reading, pausing, resuming
    assert service.mock_draft(resumed) == "half an answer"


def test_pause_then_resume_in_a_follow_up(service, bank, store, clock):
    session = service.start_mock(MockConfig(questions=2, seed=1, follow_up_seconds=90))
    session.begin_question()
    service.submit_mock(session, VAGUE)
    session.begin_question()
    clock.advance(seconds=30)
    service.pause_mock(session)
    service.save_mock_draft(session, "a follow-up half said")  # Escape keeps it
    clock.advance(hours=2)
    resumed = StudyService(bank, store, clock=clock).resume_mock()
    assert resumed.slot == "0.f1" and resumed.current_follow_up is not None
    resumed.begin_question()
    assert resumed.question_left() == 60
    assert service.mock_draft(resumed) == "a follow-up half said"
    service.submit_mock(resumed, "finished now")
    assert store.mock_follow_ups(session.mock_id)[0][0]["answer"] == "finished now"


# -- speak-aloud ---------------------------------------------------------------------------
def test_spoken_answers_are_self_graded_and_marked(service, store, clock):
    session = service.start_mock(MockConfig(questions=1, seed=2, speak_aloud=True))
    card = session.current
    session.begin_question()
    clock.advance(seconds=90)
    service.end_spoken_answer(session)
    clock.advance(seconds=40)  # ticking the points is not answering time
    ticked = [card.rubric[0].text, card.rubric[1].text]
    answer = service.self_grade_mock(session, ticked)
    assert card.id == "q02" and answer.score == 38  # ticked 3 + 3 of its 16 weight points
    assert answer.self_graded and answer.seconds == 90
    assert answer.planned and all(f.point.text not in ticked for f in answer.planned)
    session.begin_question()
    follow_up = service.self_grade_mock(session, [session.current_follow_up.point.text])
    assert follow_up.score == 100 and follow_up.self_graded
    answer_all_follow_ups(service, session, clock)
    report = service.finish_mock(session)
    assert report["self_graded"] and report["questions"][0]["label"] == "self-graded"
    assert store.attempts() == []  # the candidate's own ticks stay out of the quiz stats
    assert "self-graded" in report_markdown(report)


# -- a loop's mix ---------------------------------------------------------------------------
def test_questions_come_in_a_seeded_random_order(bank):
    firsts = {
        bank.card(choose_questions(bank, MockConfig(questions=5, seed=s))[0]).category
        for s in range(12)
    }
    assert len(firsts) > 1  # not incident-response first every time
    config = MockConfig(questions=5, seed=7)
    assert choose_questions(bank, config) == choose_questions(bank, config)


@pytest.mark.parametrize("preset_id", list(PRESETS))
def test_presets_draw_from_their_round(bank, preset_id, scenarios):
    preset = PRESETS[preset_id]
    config = mock_config(preset=preset_id, seed=3)
    assert config.questions == preset.questions
    assert config.seconds_per_question == preset.seconds_per_question
    ids = choose_questions(bank, config)
    cards = [bank.card(i) for i in ids]
    assert {c.category for c in cards} <= set(preset.rotation)


def test_the_troubleshooting_round_has_a_walk_through(bank, store, clock, scenarios):
    session = MockSession.start(
        bank, store, MockConfig(preset="troubleshooting", seed=5), clock=clock, scenarios=scenarios
    )
    walk = [c for c in session.cards if c.id.startswith("scenario:")]
    assert len(walk) == 1 and not scenarios[walk[0].id.split(":", 1)[1]].unconverted
    assert session.config.scenario is not None  # stored, so a resume rebuilds the same card


def test_unknown_preset_is_refused():
    with pytest.raises(SettingsError) as error:
        mock_config(preset="bogus")
    assert error.value.setting == "preset"


def test_walk_through_shows_the_evidence_its_rubric_grades(scenarios):
    card = scenario_card(scenarios["error-rate-50"], seed=1)
    question = card.question
    # The root cause the rubric grades is in what the candidate reads.
    assert "ConfigMap" in question and "ResourceNotFoundException" in question
    assert "PRODUCTS_TABLE=" in question
    bad_table = next(
        p for p in card.rubric if "root cause" in p.text.lower()
    )  # "Names the root cause: a wrong or nonexistent table name ..."
    assert any(phrase.lower() in question.lower() for phrase in bad_table.phrases)


@pytest.mark.parametrize("scenario_id", ["error-rate-50", "dynamodb-throttling"])
def test_walk_through_shows_one_look_up_per_key_step(scenarios, scenario_id):
    from trainer.scenarios.engine import Simulation

    scenario = scenarios[scenario_id]
    card = scenario_card(scenario, seed=2)
    resolved = Simulation(scenario, 2).scenario
    for step in resolved.key_steps:
        labels = [resolved.action(a).label for a in step.by]
        assert any(label in card.question for label in labels), step.id


def test_walk_through_follow_ups_probe_the_root_cause(bank, store, clock, scenarios):
    session = MockSession.start(
        bank,
        store,
        MockConfig(questions=1, seed=1, scenario="error-rate-50"),
        clock=clock,
        scenarios=scenarios,
    )
    while not session.current.id.startswith("scenario:"):
        session.begin_question()
        session.skip()
    session.begin_question()
    answer = session.submit("I would roll back the release and tell the stakeholders.")
    prompts = [f.prompt for f in answer.planned]
    assert "Which table does the failing call name, and does it exist?" in prompts


# -- one mock at a time; remembered settings ------------------------------------------------
def test_one_unfinished_mock_at_a_time(service, store):
    first = service.start_mock(MockConfig(questions=2, seed=1))
    with pytest.raises(MockWaiting) as waiting:
        service.start_mock(MockConfig(questions=3, seed=2))
    assert waiting.value.unfinished["id"] == first.mock_id
    second = service.start_mock(MockConfig(questions=3, seed=2), replace=True)
    assert store.unfinished_mock()["id"] == second.mock_id
    statuses = dict(store.db.execute("SELECT id, status FROM mocks").fetchall())
    assert statuses == {first.mock_id: "discarded", second.mock_id: "running"}


def test_the_last_settings_are_remembered(service):
    assert service.last_mock_settings() == {}
    service.start_mock(
        MockConfig(questions=7, preset="security", practice=True, follow_ups=False, seed=9)
    )
    remembered = service.last_mock_settings()
    assert remembered["questions"] == 7 and remembered["preset"] == "security"
    assert remembered["practice"] is True and remembered["follow_ups"] is False
    assert "seed" not in remembered  # a new mock gets new questions


# -- the report ----------------------------------------------------------------------------
def test_report_keeps_everything_worth_keeping(service, store, clock):
    for _ in range(2):
        session = service.start_mock(
            MockConfig(questions=3, seed=11, practice=True, seconds_per_question=60)
        )
        session.begin_question()
        clock.advance(seconds=61)
        service.submit_mock(session, "half an answer about dashboards", timed_out=True)
        answer_all_follow_ups(service, session, clock)
        session.begin_question()
        clock.advance(seconds=61)
        service.submit_mock(session, "", timed_out=True)
        report = service.finish_mock(session)
        clock.advance(days=1)
    labels = [q["label"] for q in report["questions"]]
    assert labels == ["timed out (kept)", "timed out (empty)", "not reached"]
    first = report["questions"][0]
    assert first["answer"] == "half an answer about dashboards" and first["model_answer"]
    assert report["trend"]["dates"] == ["2026-11-02"] and report["trend"]["previous"]
    markdown = report_markdown(report)
    assert markdown.startswith("# Mock interview report (practice)")
    assert "Date: 2026-11-03" in markdown and "Settings: Mixed loop · 3 questions" in markdown
    assert "used of" in markdown and "Practice mock" in markdown
    for q in report["questions"]:
        for point in q["missed"]:
            assert point in markdown  # every missed point, not three and stop
    assert "> half an answer about dashboards" in markdown
    assert "**Model answer:**" in markdown and "**Follow-up**" in markdown
    assert "timed out (kept)" in markdown and "timed out (empty)" in markdown
    assert "(2026-11-02)" in markdown  # the trend with dates
    assert store.mock_report()["mock_id"] == report["mock_id"]  # reopened later


def test_a_stored_v6_mock_resumes_after_the_migration(tmp_path, bank, clock):
    path = tmp_path / DB_NAME
    old = sqlite3.connect(path)
    for migrate in MIGRATIONS[:6]:
        migrate(old)
    old.execute("PRAGMA user_version = 6")
    config = {"questions": 2, "categories": [], "seconds_per_question": 300, "seed": 1}
    config["card_ids"] = ["q01", "q09"]
    old.execute(
        "INSERT INTO mocks(status, config, started_at) VALUES ('running', ?, ?)",
        (json.dumps(config), "2026-11-01T10:00:00+00:00"),
    )
    old.execute(
        "INSERT INTO mock_answers VALUES (1, 0, 'q01', 'roll back', 20, 30.0, 'answered', "
        "'[]', NULL, '2026-11-01T10:01:00+00:00')"
    )
    old.commit()
    old.close()
    store = Store.open(tmp_path)
    session = StudyService(bank, store, clock=clock).resume_mock()
    assert session.position == 1 and session.current.id == "q09"
    assert session.answers[0].planned == [] and session.config.follow_ups  # defaults


# -- validate ------------------------------------------------------------------------------
def test_every_built_in_point_has_a_follow_up(bank):
    from trainer import paths

    assert missing_follow_ups(bank, paths.question_bank_dir()) == []
    assert sum(len(c.rubric) for c in bank.cards.values()) > 200


def test_validate_names_a_built_in_point_without_a_follow_up(tmp_path):
    from trainer.content.loader import load_file

    folder = tmp_path / "question_bank"
    folder.mkdir()
    (folder / "cards.yaml").write_text(
        "cards:\n"
        "  - id: x01\n"
        "    category: incident-response\n"
        "    question: What first?\n"
        "    answer: Declare it.\n"
        "    rubric:\n"
        "      - point: Declare an incident\n"
        "        weight: 3\n"
        "        phrases: [declare an incident]\n",
        encoding="utf-8",
    )
    bank = Bank()
    load_file(folder / "cards.yaml", bank)
    errors = missing_follow_ups(bank, folder)
    assert len(errors) == 1
    text = str(errors[0])
    assert "cards.yaml:2" in text and "rubric[0].follow_up" in text and "missing" in text
    assert missing_follow_ups(bank, tmp_path / "elsewhere") == []  # a user pack may omit them


def test_setting_the_scene_answers_the_star_follow_up(bank):
    """Asked "where were you, and what were you asked to do?", naming one's role and task is
    an answer; saying nothing about it is not."""
    from trainer.grading.concepts import grade
    from trainer.study.mock_follow_ups import grade_follow_up, plan_follow_ups

    card = bank.card("loop-star-outage-caused")
    answer = "I pushed a config change that broke checkout. I rolled it back."
    scene = next(
        f for f in plan_follow_ups(card, answer, grade(card, answer)) if "scene" in f.prompt
    )
    assert grade_follow_up(card, scene, "I was on the platform team, asked to tune timeouts.") > 0
    assert grade_follow_up(card, scene, "I would rather not say.") == 0
