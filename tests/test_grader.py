"""Concept grader: typos, abbreviations, word order, whole-word short terms, red flags,
determinism, derived rubrics, and low scores for vague or off-topic answers."""

from __future__ import annotations

import pytest
import yaml
from helpers import DATA

from trainer.content.models import Card, RedFlag, RubricPoint
from trainer.grading.concepts import (
    BARE_CREDIT,
    BRIEF_CAP,
    BRIEF_NOTE,
    GIST_CREDIT,
    MAX_ANSWER_CHARS,
    PARTIAL_NOTE,
    AnswerError,
    derive_points,
    grade,
    score_of,
)

THROTTLING = Card(
    "t1",
    "incident-response",
    "DynamoDB is throttling. What do you do?",
    "model",
    rubric=(
        RubricPoint("Raise capacity now", 3, ("increase provisioned capacity", "on-demand mode")),
        RubricPoint("Retry with exponential backoff", 2, ("exponential backoff", "jitter")),
        RubricPoint("Fix hot partitions", 2, ("hot partition", "partition key")),
        RubricPoint("Cache reads with DAX", 1, ("dax",)),
        RubricPoint("Scale pods with the HPA", 1, ("hpa",)),
        RubricPoint("Watch p95 latency", 1, ("p95",)),
    ),
    red_flags=(RedFlag("Deleting the table loses data", ("delete the table",)),),
)


def flags_of(bank, card_id: str, answer: str) -> tuple:
    """The red flags an answer to a built-in card fires, the every-card ones included."""
    return grade(bank.card(card_id), answer, every_card_flags=bank.red_flags).red_flags


def matched(answer: str, card: Card = THROTTLING) -> set[str]:
    return {p.text for p in grade(card, answer).matched}


def test_typos_case_and_punctuation_still_match():
    assert matched("INCREASE the provisoned CAPACITY!!! then add exponetial back-off") == {
        "Raise capacity now",
        "Retry with exponential backoff",
    }


def test_word_order_does_not_matter():
    assert "Raise capacity now" in matched("capacity (provisioned) must increase")
    assert "Fix hot partitions" in matched("the partition is hot")


def test_abbreviations_and_aliases_match():
    assert "Scale pods with the HPA" in matched("add a horizontal pod autoscaler")
    assert "Watch p95 latency" in matched("alert on 95th percentile latency")
    assert "Cache reads with DAX" in matched("put DAX in front of the table")


@pytest.mark.parametrize("answer", ["just relax", "the shpa team", "daxter", "p955 metric"])
def test_short_terms_never_match_inside_other_words(answer):
    assert grade(THROTTLING, answer).score == 0


def test_words_far_apart_do_not_make_a_phrase():
    answer = "increase the number of engineers on call, and document everything about capacity"
    assert "Raise capacity now" not in matched(answer)


def test_spans_point_at_the_matching_text():
    answer = "First, flip the table to on-demand mode."
    point = grade(THROTTLING, answer).matched[0]
    assert answer[point.span[0] : point.span[1]] == "on-demand mode"


def test_score_is_weighted_share_of_points():
    explained = (
        "First I would increase provisioned capacity on the table so that writes stop "
        "failing while we look for the cause."
    )
    assert grade(THROTTLING, explained).score == 30  # 3 of 10
    full = (
        "I would switch the table to on-demand mode so capacity follows the load, retry the "
        "failed writes with exponential backoff so clients do not hammer it, look for a hot "
        "partition where one key takes most of the traffic, put DAX in front of the reads to "
        "take load off, let the hpa add pods as request volume grows, and watch p95 latency "
        "to confirm the fix worked for users."
    )
    assert grade(THROTTLING, full, depth=False).score == 100


# Every point of THROTTLING explained, once briefly and once going into each (the rubric has 6
# points: under 66 informative words is brief, whatever filler is added).
BRIEF_FULL = (
    "I would switch the table to on-demand mode so capacity follows the load, retry the "
    "failed writes with exponential backoff so clients do not hammer it, look for a hot "
    "partition where one key takes most of the traffic, put DAX in front of the reads to "
    "take load off, let the hpa add pods as request volume grows, and watch p95 latency "
    "to confirm the fix worked for users."
)
DEEP_FULL = (
    "First I would switch the table to on-demand mode so capacity follows the load while we "
    "investigate, because provisioned WCU cannot be raised fast enough in a spike and auto "
    "scaling reacts in minutes. Clients retry the failed writes with exponential backoff and "
    "jitter, capped at a few attempts, so they do not hammer the table in lockstep. Then I look "
    "for a hot partition where one key takes most of the traffic, using Contributor Insights "
    "and the throttle reasons, and spread that key with a random suffix. I put DAX in front of "
    "the product reads to take load off. The hpa adds pods as request volume grows, and I watch "
    "p95 latency per endpoint to confirm the fix worked for users, not just the averages."
)
PADDED_FULL = BRIEF_FULL + (
    " Honestly all of this is really very important, and it is something that I would always "
    "think about a lot, because it really is a big part of the overall picture for everyone. "
    "So yes, I would say that all of these things are really key, and we would definitely "
    "want to have all of them in place as part of the way we do things."
)


def test_a_brief_complete_answer_is_good_not_excellent():
    brief = grade(THROTTLING, BRIEF_FULL)
    assert brief.score == BRIEF_CAP == 89  # a "Good" rating, not "Easy"
    assert BRIEF_NOTE in brief.notes
    assert all(p.status == "full" for p in brief.points)  # every point still credited
    deep = grade(THROTTLING, DEEP_FULL)
    assert deep.score == 100
    assert BRIEF_NOTE not in deep.notes
    # filler adds words, not depth
    assert len(PADDED_FULL.split()) > len(DEEP_FULL.split())
    assert grade(THROTTLING, PADDED_FULL).score == BRIEF_CAP


def test_names_dropped_after_a_brief_answer_are_no_depth():
    """A brief complete answer stays below 90 with a list of tools after it."""
    dropped = BRIEF_FULL + (
        " I have used Kubernetes, Docker, Terraform, Helm, Prometheus, Grafana, Jenkins, "
        "Ansible, Kafka, Redis, Nginx, Istio, Envoy, Vault, Consul, Nomad, Packer, Argo, Flux, "
        "Loki, Tempo, Jaeger, Zipkin, Fluentd, Kibana and Elasticsearch at five companies."
    )
    assert grade(THROTTLING, dropped).score == BRIEF_CAP


@pytest.mark.xfail(
    strict=True,
    reason="known gap: names in a row with no commas count as depth; off-topic words as an "
    "explanation",
)
@pytest.mark.parametrize(
    ("answer", "most"),
    [
        (
            BRIEF_FULL + " Kubernetes Docker Terraform Helm Prometheus Grafana Jenkins Ansible "
            "Kafka Redis Nginx Istio Envoy Vault Consul Nomad Packer Argo Flux Loki Tempo Jaeger "
            "Zipkin Fluentd Kibana Elasticsearch Cassandra MongoDB Postgres MySQL Spark Airflow.",
            BRIEF_CAP,
        ),
        (
            "Exponential backoff is how my cat decides when to jump onto the sofa after dinner.",
            10,
        ),
    ],
)
def test_known_gaps_in_judging_depth_and_relevance(answer, most):
    assert grade(THROTTLING, answer).score <= most


def test_the_depth_cap_only_touches_the_top_band():
    half = "I would switch the table to on-demand mode so capacity follows the load."
    result = grade(THROTTLING, half)
    assert result.score == 30
    assert BRIEF_NOTE not in result.notes


def test_texts_that_are_rightly_short_are_not_held_to_depth():
    assert grade(THROTTLING, BRIEF_FULL, depth=False).score == 100
    # a bare reading (a drill) has no how and why to go into
    assert grade(THROTTLING, BRIEF_FULL, explained=False).score == 100


def test_bare_keyword_lists_earn_part_of_each_point():
    keywords = grade(
        THROTTLING, "on-demand mode, exponential backoff, hot partition, dax, hpa, p95"
    )
    assert len(keywords.matched) == 6
    assert {p.status for p in keywords.points} == {"partial"}
    assert keywords.score == 40 and any("keywords" in n for n in keywords.notes)


def test_a_list_of_nouns_that_could_be_verbs_is_still_a_list(bank):
    """ "retries", "request queue", "tracing": terms in a list, not actions taken."""
    answer = (
        "timeouts, circuit breaker, exponential backoff, retries, 429 rate limits, "
        "fallback provider, request queue, tracing"
    )
    result = grade(bank.card("q05"), answer, every_card_flags=bank.red_flags)
    assert len(result.matched) >= 4
    assert {p.status for p in result.matched} == {"partial"}
    assert result.score <= 40
    # a list of actions is not a keyword list
    actions = grade(bank.card("q02"), "raise WCU, add backoff with jitter, enable throttle alarms")
    assert "full" in {p.status for p in actions.matched}


def test_padding_a_keyword_list_into_sentences_does_not_help():
    padded = grade(
        THROTTLING,
        "I would also use on-demand mode there. I would also use exponential backoff there. "
        "I would also use a hot partition there. I would also use DAX there. I would also use "
        "the HPA there. I would also use p95 there.",
    )
    assert {p.status for p in padded.matched} == {"partial"} and padded.score <= 40
    tautology = grade(
        THROTTLING,
        "Exponential backoff is important for backing off. DAX is a key tool for DAX. "
        "The hot partition matters because hot partitions are hot.",
    )
    assert {p.status for p in tautology.matched} == {"partial"}


def test_a_longer_term_list_and_buzzword_fluff_name_terms_without_explaining_them():
    listed = grade(
        THROTTLING,
        "Provisioned capacity, on-demand mode, exponential backoff, hot partition keys, DAX "
        "caching, contributor insights, throttle metrics, HPA scaling, p95 latency.",
    )
    assert len(listed.matched) >= 4 and {p.status for p in listed.matched} == {"partial"}
    fluff = grade(
        THROTTLING,
        "Throttling is about a holistic, data-driven mindset: leveraging on-demand mode, "
        "exponential backoff and DAX in synergy to proactively align capacity with demand.",
    )
    assert fluff.matched and {p.status for p in fluff.matched} == {"partial"}


def test_talk_about_mentioning_a_term_does_not_explain_it():
    hedged = grade(
        THROTTLING,
        "Exponential backoff is definitely part of the picture, and DAX is another thing I'd "
        "mention. On-demand mode plays a role too.",
    )
    assert len(hedged.matched) == 3 and {p.status for p in hedged.matched} == {"partial"}
    reasoned = grade(THROTTLING, "DAX is key because hot reads then stop hitting the table.")
    assert [p.status for p in reasoned.matched] == ["full"]


def test_words_that_only_talk_about_a_topic_do_not_explain_its_terms():
    """ "Tools like X and Y come into play, along with Z" says nothing about X, Y or Z."""
    vague = grade(
        THROTTLING,
        "Tools like DAX and exponential backoff come into play, along with on-demand mode, "
        "as part of the overall strategy.",
    )
    assert len(vague.matched) == 3 and {p.status for p in vague.matched} == {"partial"}
    for answer in (
        "Exponential backoff is a huge consideration, as is DAX, in a mature ecosystem.",
        "DAX and exponential backoff are a challenge I am familiar with from experience.",
        "DAX is very much a factor, and exponential backoff is something I feel strongly about.",
        "DAX is something I'm a big believer in, and exponential backoff is a great name there.",
    ):
        assert {p.status for p in grade(THROTTLING, answer).matched} == {"partial"}, answer
    concrete = grade(
        THROTTLING,
        "DAX absorbs the hot reads and exponential backoff spreads the retried writes, along "
        "with on-demand mode for the spike.",
    )
    assert {p.status for p in concrete.matched} == {"full"}


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("Exponential backoff with jitter.", "full"),  # the point with its specifics
        ("Exponential backoff, e.g. jitter.", "full"),
        ("Exponential backoff and jitter.", "partial"),  # two names in a row
        ("Hot partition: a bad partition key.", "partial"),  # a term said again
    ],
)
def test_a_point_brought_to_its_specifics_is_explained(answer, status):
    assert [p.status for p in grade(THROTTLING, answer).matched] == [status]


def test_specifics_inside_a_list_of_terms_are_still_a_list():
    listed = grade(THROTTLING, "On-demand mode, exponential backoff with jitter, DAX and p95.")
    assert len(listed.matched) == 4 and {p.status for p in listed.matched} == {"partial"}


def test_an_abbreviation_does_not_end_the_sentence_that_explains_a_term():
    """ "e.g." is not a full stop: what follows it still explains the term before it."""
    answer = "Jitter, e.g. spread throttled writes over a few seconds."
    assert [p.status for p in grade(THROTTLING, answer).matched] == ["full"]
    assert [p.status for p in grade(THROTTLING, "Jitter. Spread.").matched] == ["partial"]


def test_an_answer_thick_with_buzzwords_explains_none_of_its_terms():
    fluff = grade(
        THROTTLING,
        "Throttling is a critical pillar of resilience. We leverage exponential backoff and "
        "DAX end-to-end, and on-demand mode keeps it all working synergistically.",
    )
    assert fluff.matched and {p.status for p in fluff.matched} == {"partial"}


def test_a_terse_list_of_actions_is_not_a_term_list():
    actions = grade(
        THROTTLING,
        "Raise the WCU or switch to on-demand, add exponential backoff, put DAX in front.",
    )
    terse = grade(
        THROTTLING,
        "switch to on-demand now, backoff with jitter in the sdk, dax for hot reads, watch p95",
    )
    assert {p.status for p in actions.matched} == {"full"}
    assert "full" in {p.status for p in terse.matched}


def test_a_claim_with_its_what_or_why_earns_full_credit():
    result = grade(THROTTLING, "Put DAX in front of the table so hot reads stop hitting it.")
    assert [(p.text, p.status) for p in result.matched] == [("Cache reads with DAX", "full")]
    one_liner = grade(THROTTLING, "Switch the table to on-demand mode.")
    assert one_liner.matched[0].status == "full"


@pytest.mark.parametrize(
    "answer",
    [
        "I would never switch to on-demand mode.",
        "I wouldn't use exponential backoff, hot partitions or DAX.",
        "Don't bother with exponential backoff.",
        "Skip the exponential backoff and the DAX cache.",
        "Exponential backoff is pointless here, and DAX is overkill.",
        "Backoff? Not needed. DAX? A waste of money.",
        "Exponential backoff doesn't help; neither does DAX.",
        "Instead of exponential backoff I'd retry at once.",
        "Turn off exponential backoff.",
        "Exponential backoff is not something I would add.",
        "Exponential backoff is over-engineering; retry at once.",
        "DAX is a micro-optimisation I would leave out.",
        "Exponential backoff just complicates things.",
        "Exponential backoff just adds load on the table.",
        "DAX just doubles the cost.",
        "The classic mistake is adding exponential backoff.",
        "I'd avoid adding DAX and switching to on-demand mode.",
        "It is better to retry at once than to add exponential backoff.",
        "I\u2019d never use exponential backoff.",
    ],
)
def test_arguing_against_a_point_earns_nothing(answer):
    result = grade(THROTTLING, answer)
    assert result.score == 0, result
    assert result.argued_against and any("argued against" in n for n in result.notes)


@pytest.mark.parametrize(
    "answer",
    [
        "Not only would I add exponential backoff, I'd also put DAX in front of reads.",
        "I'm not sure it matters, but I'd add exponential backoff to the clients.",
        "Never skip exponential backoff on the clients.",
    ],
)
def test_pseudo_negations_and_double_negations_keep_the_claim(answer):
    assert "Retry with exponential backoff" in matched(answer)


def test_a_negation_does_not_cross_the_sentence_or_the_clause():
    answer = (
        "Don't just restart everything, look for a hot partition first. "
        "Never guess. Add exponential backoff."
    )
    assert {"Fix hot partitions", "Retry with exponential backoff"} <= matched(answer)
    but = grade(THROTTLING, "Not DAX, but exponential backoff on the writers.")
    assert [p.text for p in but.matched] == ["Retry with exponential backoff"]


def test_what_the_candidate_ends_up_claiming_decides_and_a_contradiction_costs():
    changed_mind = grade(
        THROTTLING, "Exponential backoff alone won't do. Retry with exponential backoff and jitter."
    )
    assert "Retry with exponential backoff" in {p.text for p in changed_mind.matched}
    retracted = grade(
        THROTTLING,
        "Retry with exponential backoff on the clients. Actually no, exponential backoff is "
        "pointless, retry immediately.",
    )
    assert "Retry with exponential backoff" not in {p.text for p in retracted.matched}
    taken_back = [n for n in retracted.notes if "Retry with exponential backoff" in n]
    assert taken_back == ["You argued against: Retry with exponential backoff"], retracted.notes


def test_red_flags_fire_on_any_recommending_occurrence_never_on_a_rejection():
    rejected = grade(THROTTLING, "Never delete the table; increase provisioned capacity.")
    assert rejected.red_flags == ()
    dismissed = grade(THROTTLING, "Deleting the table is a bad idea, it loses every order.")
    assert dismissed.red_flags == ()
    conditional = grade(
        THROTTLING, "Increase provisioned capacity. If that doesn't help, delete the table."
    )
    assert [f.claim for f in conditional.red_flags] == ["Deleting the table loses data"]
    second = grade(
        THROTTLING, "I would never delete the table at first; later I'd delete the table anyway."
    )
    assert second.red_flags


def test_full_width_and_look_alike_letters_grade_like_ascii():
    plain = grade(THROTTLING, "Put DAX in front of the table so hot reads stop hitting it.")
    wide = grade(THROTTLING, "Put ＤＡＸ in front of the table so hot reads stop hitting it.")
    cyrillic = grade(THROTTLING, "Put DAX in front of the tаble so hot reаds stop hitting it.")
    assert plain.score == wide.score == cyrillic.score > 0
    span = wide.matched[0].span
    assert (
        "ＤＡＸ"
        in "Put ＤＡＸ in front of the table so hot reads stop hitting it."[span[0] : span[1]]
    )


def test_an_answer_mostly_not_in_english_gets_a_note_not_loan_word_credit():
    spanish = grade(
        THROTTLING,
        "Yo usaría exponential backoff y DAX para la tabla, y también revisaría la partition "
        "key porque es lo más importante para el rendimiento de la base de datos.",
    )
    assert spanish.score == 0 and any("English" in n for n in spanish.notes)
    russian = grade(THROTTLING, "Я бы включил exponential backoff и DAX для таблицы сразу же.")
    assert russian.score == 0 and any("English" in n for n in russian.notes)


def test_json_carries_notes_and_each_points_status():
    data = grade(THROTTLING, "Never use DAX. Retry the writes with exponential backoff.").to_json()
    statuses = {p["point"]: p["status"] for p in data["points"]}
    assert statuses["Cache reads with DAX"] == "argued-against"
    assert statuses["Retry with exponential backoff"] == "full"
    assert statuses["Watch p95 latency"] == "missed"
    assert any("argued against" in n for n in data["notes"])


def test_red_flag_costs_points_unless_negated():
    bad = grade(
        THROTTLING,
        "I would increase provisioned capacity right away, or delete the table and recreate it",
    )
    assert [f.claim for f in bad.red_flags] == ["Deleting the table loses data"]
    assert bad.score == 5
    fine = grade(
        THROTTLING,
        "I would increase provisioned capacity right away, and I would never delete the table",
    )
    assert fine.red_flags == () and fine.score == 30


def test_grading_is_deterministic():
    answer = "on demand mode with jitter, check the partition key and p95"
    results = {grade(THROTTLING, answer) for _ in range(5)}
    assert len(results) == 1


def test_empty_and_huge_answers_are_refused():
    with pytest.raises(AnswerError, match="empty"):
        grade(THROTTLING, "  \n ")
    with pytest.raises(AnswerError, match="limit"):
        grade(THROTTLING, "x" * (MAX_ANSWER_CHARS + 1))


def test_card_without_rubric_uses_points_from_model_answer():
    card = Card(
        "u1",
        "incident-response",
        "How do you roll out safely?",
        "Use canary deployments, watch error rates, and roll back automatically.",
    )
    points = derive_points(card.answer)
    assert len(points) >= 3
    result = grade(card, "I'd do a canary deployment and automatic rollback")
    assert result.derived and "derived" in result.notes[0]
    assert 0 < result.score < 100
    assert grade(card, "I would write good code").score == 0


GENERIC = [
    "I would check the dashboards and the logs, find the root cause and fix it.",
    "First I'd look at the monitoring, then talk to the team and escalate if needed.",
    "Follow best practices, make sure everything is monitored and scaled properly.",
]


@pytest.mark.parametrize("answer", GENERIC)
def test_generic_talk_scores_low_on_every_card(bank, answer):
    scores = [grade(card, answer).score for card in bank.cards.values()]
    assert max(scores) <= 20, scores
    assert sum(scores) / len(scores) <= 5


def test_model_answer_to_another_question_scores_low(bank):
    """q19's caching answer given for the secrets question (and similar pairs) scores low."""
    pairs = [("q19", "q25"), ("q25", "q02"), ("q28", "q09"), ("q11", "q18"), ("q02", "q30")]
    for source, target in pairs:
        score = grade(bank.card(target), bank.card(source).answer).score
        assert score <= 25, (source, target, score)


def test_own_model_answers_score_well(bank):
    """A learner who reproduces the guide's model answer is credited for every point it makes;
    the guide often lists terms without the how or why (its security answers most of all), and
    those earn part of their points, as an interviewer would mark them."""
    scores = sorted(grade(c, c.answer).score for c in bank.cards.values())
    assert scores[0] >= 30, scores
    assert scores[len(scores) // 2] >= 55, scores
    assert sum(score >= 50 for score in scores) >= 20, scores


def test_punctuation_inside_terms_is_not_a_sentence_break():
    card = Card(
        "d1",
        "incident-response",
        "Q",
        "A",
        rubric=(
            RubricPoint("memory usage", 1, ("process.memoryusage",)),
            RubricPoint("three nines", 1, ("99.9%",)),
            RubricPoint("budget", 1, ("43 minutes",)),
        ),
    )
    result = grade(card, "log process.memoryUsage() hourly; target 99.9% so ~43 min a month")
    assert len(result.matched) == 3


def test_phrases_do_not_span_sentences():
    assert "Raise capacity now" not in matched("We should increase. Provisioned capacity is fine.")


def test_naming_what_was_missing_then_adding_it_is_full_credit():
    result = grade(
        THROTTLING,
        "There was no DAX in front of the table, so hot reads hit it directly. "
        "We put DAX in front of the reads so they stop hitting the table.",
    )
    point = next(p for p in result.points if p.text == "Cache reads with DAX")
    assert point.status == "full"


def test_a_negation_inside_another_points_claim_is_that_points():
    card = Card(
        "u1",
        "incident-response",
        "Write the status update",
        "model",
        rubric=(
            RubricPoint("Impact", 3, ("customers", "affected")),
            RubricPoint("Scope", 2, ("not affected", "unaffected")),
        ),
    )
    text = "Checkout customers see errors; search customers are not affected."
    result = grade(card, text, explained=False)
    assert {p.text: p.status for p in result.points} == {"Impact": "full", "Scope": "full"}


def test_red_flags_on_every_card_fire_on_any_card_and_charge_a_statement_once(bank):
    card = bank.card("q02")  # its own flags say nothing about authentication
    stated = grade(card, "Raise the WCU, and switch authentication off on the API for now.")
    assert [h.phrase for h in stated.red_flags] == ["authentication off"]
    rejected = grade(card, "Raise the WCU. Never leave authentication off, even for a minute.")
    assert rejected.red_flags == ()
    own = bank.card("q22")  # its own flag and an every-card flag describe the same words
    once = grade(own, "Remove the requests and limits from every pod so they pack denser.")
    assert len(once.red_flags) == 1


def test_what_a_mistake_introduces_is_rejected_and_its_negations_flipped(bank):
    card = bank.card("q19")  # its red flag: caching everything, or forever
    quoted = grade(
        card,
        'The mistake I see a lot is "cache everything with a long TTL". Use cache-aside in '
        "Redis with a TTL and invalidate on product updates.",
    )
    assert quoted.red_flags == () and quoted.score > 0
    listed = grade(bank.card("q26"), "The classic mistakes: SSH open to 0.0.0.0/0 on port 22.")
    assert listed.red_flags == ()
    affirmed = grade(THROTTLING, "A common mistake is not adding exponential backoff.")
    assert [p.text for p in affirmed.matched] == ["Retry with exponential backoff"]


def test_what_others_do_is_reported_not_recommended(bank):
    card = bank.card("q14")  # its red flag: watching only the Lambda's errors
    said = "A lot of people only watch the Lambda errors, but the BigQuery load can fail alone."
    assert grade(card, said).red_flags == ()
    own = "I only watch the Lambda errors."
    assert grade(card, own).red_flags != ()
    endorsed = "A lot of people only watch the Lambda errors, and so would I."
    assert grade(card, endorsed).red_flags != ()


def test_a_rejected_quotation_ends_where_the_speaker_goes_on(bank):
    card = bank.card("q19")
    said = (
        'The mistake I see a lot is "cache everything forever", and honestly I would cache '
        "everything forever."
    )
    assert grade(card, said).red_flags != ()


def test_a_phrase_led_by_a_trigger_keeps_it_first_whatever_its_form():
    """Stemmed or not, the trigger leads: "disable encryption" must start with "disable"."""
    from trainer.grading.concepts import _compile_phrase, default_aliases

    for text in ("disable encryption", "avoid hot keys", "rather than two phase commit"):
        phrase = _compile_phrase(text, default_aliases())
        assert phrase is not None and phrase.leading, text


# -- gist phrases: the idea without its specifics earns part of the point --------------------
RETRIES = Card(
    "g1",
    "incident-response",
    "DynamoDB is throttling. What do you do?",
    "model",
    rubric=(
        RubricPoint(
            "Retry with capped exponential backoff and jitter",
            2,
            ("exponential backoff", "jitter"),
            gist=("retry", "retries"),
        ),
        RubricPoint(
            "Find the hot partition",
            2,
            ("hot partition", "contributor insights"),
            gist=("partitions",),
        ),
    ),
)


def point_of(answer: str, card: Card = RETRIES):
    return grade(card, answer).points[0]


def test_the_gist_of_a_point_earns_part_of_it():
    point = point_of("I'd add retries in the client so a throttled write is not lost.")
    assert point.matched and point.status == "partial"
    assert point.credit == GIST_CREDIT
    assert (
        grade(RETRIES, "I'd add retries in the client so a throttled write is not lost.").score
        == 25
    )


def test_the_specifics_earn_the_whole_point_and_beat_the_gist():
    point = point_of("Retry throttled writes with exponential backoff so the table can recover.")
    assert point.status == "full" and point.credit == 1.0
    assert point.phrase == "exponential backoff"


def test_a_bare_gist_earns_less_than_an_explained_one():
    said = grade(RETRIES, "Look at the partitions to see which one takes the writes.").points[1]
    bare = grade(RETRIES, "partitions, dashboards, grafana").points[1]
    assert said.credit == GIST_CREDIT
    assert bare.status == "partial" and bare.credit == pytest.approx(GIST_CREDIT * BARE_CREDIT)


def test_arguing_against_the_gist_is_arguing_against_the_point():
    point = point_of("I would never retry a throttled write; it only adds load.")
    assert not point.matched and point.status == "argued-against"


def test_rejecting_blind_retries_does_not_take_back_retrying_with_backoff():
    point = point_of(
        "Use exponential backoff with jitter on the client. Do not just retry in a tight loop."
    )
    assert point.status == "full" and point.credit == 1.0


@pytest.mark.parametrize(
    ("card", "answer"),
    [
        ("q21", "If the pool is always maxed out, look at slow queries before raising the size."),
        ("q20", "Pre-scale the night before, just in case the autoscaler is slow."),
    ],
)
def test_a_symptom_or_a_precaution_is_not_the_red_flag_it_shares_words_with(bank, card, answer):
    assert flags_of(bank, card, answer) == ()


def test_a_word_is_not_an_identifier_that_starts_with_it(bank):
    result = grade(bank.card("q14"), "Watch the BigQuery insert/load jobs for errors.")
    assert not any(p.text.startswith("Idempotency") for p in result.matched)
    said = grade(bank.card("q14"), "Use insertId on every row so retries do not duplicate rows.")
    assert any(p.text.startswith("Idempotency") for p in said.matched)


def test_taking_a_permission_away_is_not_arguing_against_least_privilege(bank):
    """ "humans don't get list on secrets" restricts access: the point stands, no mixed note."""
    answer = (
        "RBAC so only the app's service account can read its secrets; "
        "humans don't get list/get on secrets."
    )
    result = grade(bank.card("q25"), answer)
    rbac = next(p for p in result.points if p.text.startswith("Least-privilege RBAC"))
    assert rbac.status == "full"
    assert not any(note.startswith("You argued") for note in result.notes)


@pytest.mark.parametrize(
    ("card", "answer"),
    [
        # a later word's own clause negates it: "AWS access itself, no static keys"
        ("q25", "For AWS access itself, no static keys at all: IRSA or EKS Pod Identity."),
        # pushing back on a quoted claim rejects it
        ("q15", "I'd push back on \"we have autoscaling, so we don't need capacity planning\"."),
        # autoscaling for the daily swings, beside headroom and pre-scaling, is sound
        ("q15", "Keep 2x headroom, let autoscaling handle the daily swings, pre-scale for sales."),
        # a dead webhook blocking creation is a cause, not giving up
        (
            "q06",
            "A webhook with failurePolicy Fail whose backend is dead, so nothing can be created.",
        ),
        # rejecting the teardown
        ("q06", "Never run terraform destroy on the whole environment to get a clean slate."),
        # a negation shared by two verb phrases joined with "and"
        ("q23", "Never retry a 429 immediately and ignore the Retry-After header; back off."),
        # what a practice ends up with is described, not recommended
        (
            "q11",
            "Teams alert on every pod restart because it feels safe, but you end up with "
            "hundreds of alerts, people mute the channel, and the real page gets missed.",
        ),
        # a stopgap until the fix is no claim that restarts are the fix
        ("q07", "Until it's fixed, the pods can be restarted on a schedule."),
        # ", or" goes on with what a negation rejects
        (
            "q25",
            "What I'd avoid is baking secrets into images, or putting them in ConfigMaps or "
            "plain Helm values in Git.",
        ),
        # the colon inside inline code ends no clause
        (
            "q28",
            "One thing I'd push back on is using `privileged: true` or running as root \"just to "
            'get it working" when a container hits a permission error.',
        ),
    ],
)
def test_sound_or_rejecting_answers_fire_no_red_flag(bank, card, answer):
    assert flags_of(bank, card, answer) == ()


@pytest.mark.parametrize(
    ("card", "answer"),
    [
        ("q06", "I'd run terraform destroy on the whole environment and apply it again."),
        ("q06", "Temporarily open the security groups to 0.0.0.0/0 on all ports to recover."),
        ("q01", "Just delete the whole namespace and kubectl apply everything again."),
        ("q15", "No need for capacity planning, just let autoscaling handle everything."),
        # ... and the same phrase after "and" without a shared negation, or after a comma
        ("q23", "Retry a 429 immediately and ignore the Retry-After header."),
        ("q23", "Don't wait on a 429, and ignore the Retry-After header."),
        ("q28", "Set `privileged: true` and run as root so it just works."),
        ("q25", "Put the secrets in the Helm values in Git, or bake them into the image."),
        ("q11", "If the alerts are noisy, mute the channel and move on."),
    ],
)
def test_recommending_a_teardown_or_a_bypass_fires_a_red_flag(bank, card, answer):
    assert flags_of(bank, card, answer)


def test_no_model_answer_argues_against_its_own_points(bank):
    """A model answer states its points: reading one of them as argued against is a stance
    bug (it found "Traps: the load average counts blocked tasks" rejecting them)."""
    against = {
        card.id: [p.text for p in grade(card, card.answer).argued_against]
        for card in bank.cards.values()
    }
    assert {k: v for k, v in against.items() if v} == {}


def test_padding_in_one_frame_explains_nothing_even_with_verbs_or_gists(bank):
    """ "I would also <verb> <term> there." repeated is the keyword list padded: each term is
    part credit, whether it is a point's own phrase or its gist; a terse list of actions is
    not padding."""
    card = bank.card("q02")
    padded = (
        "I would also raise the WCU there. I would also use exponential backoff there. "
        "I would also use DAX there. I would also add write sharding there."
    )
    gists = (
        "I would also add retries there. I would also bump the capacity there. "
        "I would also put a cache there. I would also spread the load there."
    )
    for answer in (padded, gists):
        result = grade(card, answer)
        assert result.matched and all(p.credit <= BARE_CREDIT for p in result.matched), answer
        assert result.score <= 40
    terse = grade(card, "Raise the WCU. Add write sharding. Buffer writes through SQS.")
    assert all(p.status == "full" for p in terse.matched)


def test_a_phrase_that_says_not_is_not_met_by_a_double_negative():
    card = Card(
        "nr",
        "security-compliance",
        "How do you harden containers?",
        "model",
        rubric=(RubricPoint("Run as non-root", 2, ("not run as root",)),),
    )
    assert grade(card, "Do not run containers as root, so a breakout is not root.").matched
    assert not grade(card, "I'd never bother running as non-root, it's isolated.").matched


@pytest.mark.parametrize("frame", ["The textbook answer is", "Everyone says"])
def test_a_reported_list_is_not_the_candidates_explanation(bank, frame):
    terms = (
        "raising capacity, exponential backoff with jitter, fixing hot partitions, DAX and "
        "alarms on ThrottledRequests"
    )
    framed = grade(bank.card("q02"), f"{frame} {terms}.")
    assert framed.matched and {p.status for p in framed.matched} == {"partial"}
    assert framed.score == grade(bank.card("q02"), f"{terms.capitalize()}.").score


def test_a_later_word_against_another_phrase_does_not_take_the_point_back(bank):
    """Said: Contributor Insights; later rejected: hot keys (the problem, not the practice).
    Retracting needs the same words unsaid."""
    answer = (
        "Raise the provisioned write capacity on the table right away. More capacity won't "
        "fix a hot key though, so check Contributor Insights for the partition key. I'd stay "
        "away from hot keys."
    )
    statuses = {p.text.split(" - ")[0]: p.status for p in grade(bank.card("q02"), answer).points}
    assert statuses["Find what is actually throttled"] != "argued-against"
    assert statuses["Add capacity now"] == "full"


@pytest.mark.parametrize(
    ("card", "rejecting", "recommending"),
    [
        (
            "q25",
            "Nothing secret in the repo: the pods read them from Secrets Manager.",
            "Just commit the secrets to the repo.",
        ),
        (
            "q26",
            "Security groups on the app port only, and nothing open to 0.0.0.0/0 but 443.",
            "Open port 22 to 0.0.0.0/0 for now.",
        ),
    ],
)
def test_nothing_as_a_subject_rejects_what_a_red_flag_describes(
    bank, card, rejecting, recommending
):
    assert not flags_of(bank, card, rejecting)
    assert flags_of(bank, card, recommending)


def test_the_question_restated_in_a_verdict_on_worth_explains_nothing():
    """ "X is key to network security" only says X matters for what was asked."""
    card = Card(
        "net",
        "security-compliance",
        "How do you design network security for CloudMart?",
        "model",
        rubric=(
            RubricPoint("Least-privilege security groups", 3, ("security groups",)),
            RubricPoint("WAF at the edge", 2, ("waf",)),
        ),
    )
    for answer in (
        "Security groups are really important for network security in CloudMart.",
        "A WAF is essential to CloudMart network design.",
    ):
        assert [p.status for p in grade(card, answer).matched] == ["partial"], answer
    explained = grade(card, "Security groups let only the load balancer reach the nodes.")
    assert [p.status for p in explained.matched] == ["full"]
    topical = grade(card, "The WAF blocks injection before it reaches the CloudMart network.")
    assert [p.status for p in topical.matched] == ["full"]


@pytest.mark.parametrize(
    ("card", "recommending", "rejecting"),
    [
        (
            "q17",
            "To rule out stale data I'd flush the whole Redis cache in production right away.",
            "Never flush the whole cache in production: the stampede takes the database down.",
        ),
        (
            "q21",
            "Pooling is outdated: open a fresh connection for every query, so turn pooling off.",
            "Opening a fresh connection per query exhausts max_connections, so pool them.",
        ),
        (
            "q30",
            "I'd immediately terminate the compromised instances so the foothold is gone.",
            "Quarantine and snapshot first; never immediately terminate the compromised nodes.",
        ),
        (
            "q17",
            "For relief I'd turn off the readiness and liveness probes and add pods.",
            "Never turn off the liveness probes to relieve latency; fix their timing.",
        ),
        (
            "q30",
            "I'd keep it inside the engineering team and not tell customers or legal.",
            "Never keep it inside the engineering team: legal and customers must be told.",
        ),
        (
            "q17",
            "Turn on DEBUG logging on all production pods for a few hours.",
            "Never log the full request bodies: they hold payment details.",
        ),
        (
            "q16",
            "The Watchdog alert fires all the time, so silence the Watchdog.",
            "The Watchdog always fires into a dead man's switch; never silence the Watchdog.",
        ),
    ],
)
def test_common_misconceptions_fire_their_flags_only_when_recommended(
    bank, card, recommending, rejecting
):
    assert flags_of(bank, card, recommending)
    assert not flags_of(bank, card, rejecting)


def test_what_a_lot_of_teams_do_is_reported_not_recommended(bank):
    reported = "A lot of teams page on every pod restart. I don't: it trains people to ignore it."
    assert not flags_of(bank, "q11", reported)
    assert flags_of(bank, "q11", "A lot of teams page on every pod restart, and so do we.")


@pytest.mark.parametrize(
    ("card", "rejecting", "recommending"),
    [
        (
            "q03",
            "The last thing you want is to delete the TSDB folder during an incident.",
            "Delete the TSDB folder to free the memory.",
        ),
        (
            "q08",
            "Relying on default infinite timeouts sounds harmless, but it is how one sick "
            "service cascades.",
            "Keep the default infinite timeouts so no request fails.",
        ),
        (
            "q19",
            "Caching forever is tempting because hit rates look great, but then a sold-out "
            "item still shows as in stock.",
            "Cache forever, products rarely change.",
        ),
        (
            "q21",
            "A huge pool sounds fast, but 50 pods with 200 connections each exceed "
            "max_connections.",
            "Give every pod a huge pool so it never waits.",
        ),
        (
            "q25",
            "I've seen people check .env files into the repo - it backfires, the secret "
            "stays in the history.",
            "Keep the .env file in the repo so deploys are simple.",
        ),
        (
            "q22",
            "Skipping requests and limits is tempting in dev, but in production it makes "
            "bin-packing unpredictable.",
            "Skip requests and limits, the scheduler sorts it out.",
        ),
        (
            "q02",
            "A very high maxRetries with zero retry delay sounds safe, but it hammers the "
            "hot partition.",
            "I'd set maxRetries to 50 with zero retry delay so no request is lost.",
        ),
        (
            "q21",
            "Reconnecting immediately in a loop is tempting, but it stampedes a database "
            "that is already refusing.",
            "If the database refuses connections, reconnect immediately in a loop.",
        ),
        (
            "q05",
            "The tempting fix is aggressive retries; I wouldn't, immediate retries multiply "
            "load on a provider that is already struggling.",
            "On a timeout I'd add immediate retries so the user never sees an error.",
        ),
        (
            "q19",
            "Things I would not cache: stock levels and prices read at checkout.",
            "Read stock from the cache at checkout, it is the hottest read.",
        ),
    ],
)
def test_a_practice_conceded_or_seen_in_others_then_turned_down_fires_no_flag(
    bank, card, rejecting, recommending
):
    assert not flags_of(bank, card, rejecting)
    assert flags_of(bank, card, recommending)


def test_anti_patterns_fire_their_flags_when_recommended_and_never_when_rejected(bank):
    """A helper's sentences (development data): misconceptions recommended are flagged, the
    same misconceptions named to reject them are not."""
    probes = yaml.safe_load((DATA / "antipattern_probes.yaml").read_text("utf-8"))["probes"]
    missed = [s for p in probes for s in p["recommending"] if not flags_of(bank, p["card"], s)]
    wrongly = [s for p in probes for s in p["rejecting"] if flags_of(bank, p["card"], s)]
    assert len(probes) == 30
    assert missed == []
    assert wrongly == []


def test_terms_dressed_up_with_their_specifics_are_still_a_keyword_list():
    """ "X like Y. Z like W." explains nothing when nothing else in the answer is explained;
    one such sentence alone is a terse answer and keeps its credit."""
    card = Card(
        "cascade",
        "incident-response",
        "How do you stop cascading failures?",
        "model",
        rubric=(
            RubricPoint("Timeouts", 2, ("timeout", "deadline")),
            RubricPoint("Bulkheads", 2, ("bulkhead", "separate pools")),
        ),
    )
    dressed = grade(card, "Timeouts like deadlines. Bulkheads like separate pools.")
    listed = grade(card, "Timeouts, deadlines, bulkheads, separate pools.")
    assert {p.status for p in dressed.matched} == {"partial"}
    assert dressed.score == listed.score
    assert [p.status for p in grade(card, "Timeouts like deadlines.").matched] == ["full"]


def test_a_phrase_said_again_close_by_is_found_again(bank):
    """The second "raise the WCU" shares its neighbourhood with the first: it is still found,
    and what the candidate ends up saying (doing it) stands."""
    answer = (
        "A common reflex is to raise the WCU, and honestly that is what I do: raise the WCU and "
        "add exponential backoff with jitter."
    )
    statuses = {p.phrase: p.status for p in grade(bank.card("q02"), answer).matched}
    assert statuses.get("raise wcu") == "full"


def _wide_card() -> Card:
    """Eight points of equal weight: two of them are a quarter of the rubric."""
    names = ("timeouts", "bulkheads", "retry budgets", "load shedding", "fallbacks")
    names += ("health checks", "chaos drills", "dependency maps")
    return Card(
        "wide",
        "incident-response",
        "How do you stop cascading failures?",
        "model",
        rubric=tuple(RubricPoint(name.capitalize(), 2, (name,)) for name in names),
        red_flags=(RedFlag("Infinite retries", ("retry forever",)),),
    )


@pytest.mark.parametrize(
    ("answer", "floored"),
    [
        # one idea explained, another named: what an interviewer marks "Hard" (40)
        (
            "Put timeouts on every remote call so a slow dependency can't hold threads. Bulkheads.",
            True,
        ),
        # three explained
        (
            "Timeouts stop threads waiting forever. Bulkheads keep one pool from starving "
            "the rest. Fallbacks serve cached data when a dependency is down.",
            True,
        ),
        # two explained, each in a sentence of its own
        (
            "Timeouts stop threads waiting forever on a slow call. Bulkheads keep one pool "
            "from starving the rest.",
            True,
        ),
        # one explained alone, a keyword list, many names around one explained
        ("Put timeouts on every remote call so a slow dependency can't hold threads.", False),
        ("Timeouts, bulkheads, fallbacks, load shedding.", False),
        # two ideas in one breath are a one-liner, not a partial answer
        (
            "Timeouts stop threads waiting forever on a slow call and bulkheads keep one pool "
            "from starving the rest.",
            False,
        ),
        # a likeness explains nothing: it does not make a partial answer
        ("Timeouts are like ice cream on a hot summer day. Bulkheads.", False),
        # ... and an answer that argues against a point is not a partial answer either
        (
            "Timeouts stop threads waiting forever on a slow call. Bulkheads keep one pool "
            "from starving the rest. I would not bother with fallbacks at all.",
            False,
        ),
        (
            "Put timeouts on every remote call so a slow dependency can't hold threads. "
            "Bulkheads. Fallbacks are pointless, skip them.",
            False,
        ),
        (
            "Put timeouts on every remote call so a slow dependency can't hold threads. "
            "Bulkheads, fallbacks, load shedding, chaos drills.",
            False,
        ),
        # a red flag, or a point argued both ways, forfeits it
        (
            "Put timeouts on every remote call so threads never hang. Bulkheads. "
            "And retry forever until it works.",
            False,
        ),
        (
            "Timeouts keep slow calls from holding threads but I would not use timeouts. "
            "Bulkheads isolate pools so one dependency can't starve the rest.",
            False,
        ),
    ],
)
def test_a_partial_answer_earns_the_hard_band_whatever_the_rubric_size(answer, floored):
    result = grade(_wide_card(), answer)
    plain = score_of(result.points, len(result.red_flags), floor=False)
    assert plain < 40  # a quarter of the rubric at most
    assert (result.score == 40) is floored
    assert (PARTIAL_NOTE in result.notes) is floored


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        # praise of a term says nothing about it
        ("Timeouts are really important in a microservices world.", "partial"),
        ("Bulkheads are a great pattern that top companies use.", "partial"),
        # ... a reason, a means or an action does
        ("Timeouts are important because a slow call otherwise holds a thread.", "full"),
        ("Bulkheads are great for keeping one slow dependency from taking every thread.", "full"),
        ("Set timeouts on every remote call, they are important.", "full"),
        # a modal and an empty reason say nothing either
        ("Timeouts are a must because they matter a lot.", "partial"),
        ("Timeouts must be shorter than the caller's deadline.", "full"),
    ],
)
def test_praise_alone_explains_nothing(answer, status):
    assert [p.status for p in grade(_wide_card(), answer).matched] == [status]


@pytest.mark.parametrize(
    ("card", "answer", "status"),
    [
        # a term that is the sentence's subject names a thing: "audit" is no action there
        ("q27", "Audit logging is also very important.", "partial"),
        ("q06", "A backup region is also something to think about in this context.", "partial"),
        (
            "q27",
            "Audit logs go to a locked S3 bucket with object lock so nobody can tamper.",
            "full",
        ),
        # praise for any case at all is still praise; for a purpose, it says what for
        ("q26", "WAF is a really valuable tool for any web application.", "partial"),
        ("q05", "Circuit breakers are great for stopping calls to a failing dependency.", "full"),
        # a likeness says nothing of what the thing does, unless a reason comes with it
        ("q08", "Circuit breakers are like ice cream on a hot summer day.", "partial"),
        (
            "q08",
            "A circuit breaker is like a fuse in your house: it trips so one failing dependency "
            "doesn't take the rest down.",
            "full",
        ),
        # an example inside praise is still praise
        ("q09", "Percentiles like p95 are very powerful too.", "partial"),
        (
            "q09",
            "Percentiles like p95 show what the slowest users feel, which an average hides.",
            "full",
        ),
    ],
)
def test_praise_of_a_named_thing_explains_nothing(bank, card, answer, status):
    result = grade(bank.card(card), answer, every_card_flags=bank.red_flags)
    assert [p.status for p in result.matched] == [status]


def test_just_slowing_the_team_down_dismisses_but_just_slow_describes(bank):
    dismissed = grade(
        bank.card("q25"),
        "RBAC restrictions on secrets just slow the team down, so I'd leave those open too.",
    )
    assert [p.status for p in dismissed.points if p.text.startswith("Least-privilege RBAC")] == [
        "argued-against"
    ]
    described = grade(
        bank.card("q05"), "Look at prompt size, big prompts are just slow, so stream the response."
    )
    assert "prompt size" in [p.phrase for p in described.matched]


def test_a_retry_storm_is_not_charged_as_disabling_retries(bank):
    """ "maxRetries to 50" is retrying without limit, not turning retries off: one flag, the
    right one."""
    answer = "Bump the WCU. Then set maxRetries to 50 with zero retry delay so no write is lost."
    claims = [
        f.claim for f in grade(bank.card("q02"), answer, every_card_flags=bank.red_flags).red_flags
    ]
    assert len(claims) == 1 and claims[0].startswith("Retrying immediately or without limit")
