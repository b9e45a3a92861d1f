"""Stance of the words of an answer (NegEx/ConText-style negation scope) and Unicode folding."""

from __future__ import annotations

import pytest

from trainer.grading.normalize import mostly_not_english, normalize
from trainer.grading.stance import Stance, unit_information


def stance_of(text: str, word: str, nth: int = 0) -> str:
    folded = normalize(text).text
    stance = Stance(folded)
    starts = [t.start for t in stance.tokens if t.word == word]
    return stance.polarity(starts[nth], starts[nth] + len(word))


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("I would never roll back", "roll", "negated"),
        ("Expire keys by TTL so nothing stays stale for too long", "stale", "affirmed"),
        ("Nothing secret in the repo, it comes from the vault", "secret", "negated"),
        ("SGs on the app port only, and nothing open to the world", "open", "negated"),
        ("Auto scaling does nothing for a hot key", "hot", "affirmed"),
        ("Versioned filenames so there's nothing to invalidate", "invalidate", "affirmed"),
        ("Nothing beats DAX for hot reads", "dax", "affirmed"),
        ("Counting rows in both systems is expensive", "counting", "negated"),
        ("I'd keep it inside the team and not tell legal", "keep", "affirmed"),
        ("That dashboard doesn't tell you the root cause", "dashboard", "negated"),
        ("A common reflex is to restart every pod. I wouldn't do that.", "restart", "negated"),
        ("Encryption at rest with KMS I'd skip as well", "encryption", "negated"),
        ("Rotation I wouldn't do either, it breaks things", "rotation", "negated"),
        ("Backups I would never skip", "backups", "affirmed"),
        ("The instinct is to terminate the node at once", "terminate", "negated"),
        ("Cap the pool so you don't open too many connections", "connections", "affirmed"),
        ("Size the pool so we never run out of connections", "connections", "affirmed"),
        ("Retries make it worse, so we don't retry", "retry", "negated"),
        ("Callers stop hammering it and fail fast", "fail", "affirmed"),
        ("The tempting fix is to wipe the TSDB and start fresh", "wipe", "negated"),
        # "either ... or" offers the other way; "instead of" ends before ", and <verb>"
        ("Either don't cache it or invalidate on write", "invalidate", "affirmed"),
        ("Either don't cache it or invalidate on write", "cache", "negated"),
        (
            "Secrets instead of hardcoding passwords, and enable encryption",
            "encryption",
            "affirmed",
        ),
        ("Secrets instead of hardcoding passwords, and enable encryption", "hardcoding", "negated"),
        # a relative clause judges its own noun, not the clause before
        (
            "Check which metrics have high cardinality and drop the ones we don't need",
            "cardinality",
            "affirmed",
        ),
        ("Find high-cardinality metrics and drop the ones we don't need", "ones", "negated"),
        ("Backups? We don't need them", "backups", "negated"),
        # not done blindly: limited, not rejected
        ("I don't use the cores times two rule blindly", "cores", "qualified"),
        ("I'd never blindly restart pods", "restart", "qualified"),
        ("I'd never restart pods", "restart", "negated"),
        # a component that can't do its job: a symptom; the speaker who can't: a refusal
        ("If it's ImagePullBackOff the node can't reach ECR", "ecr", "affirmed"),
        ("Pods can't pull the image from ECR", "image", "affirmed"),
        ("We can't use DAX here", "dax", "negated"),
        # a verdict on a rejecting gerund rejects the rejecting: its object stands
        ("Skipping requests and limits is tempting, but no", "requests", "affirmed"),
        ("Disabling auth is a mistake", "auth", "affirmed"),
        ("Disabling auth is a mistake", "disabling", "negated"),
        # a colon after a trigger and its verb keeps the scope; "same goes for" looks back
        ("Things I would not cache: stock levels and prices", "stock", "negated"),
        ("We had no alerts: the pager was fine", "pager", "affirmed"),
        (
            "I'd avoid committing Secrets to Git. Anyone with repo access has them. "
            "Same goes for secrets in Helm values.",
            "helm",
            "negated",
        ),
        # an action done to excess, as the subject of a harm verb, is judged
        ("Immediate retries multiply load on the provider", "retries", "negated"),
        ("A hot key exhausts its partition", "hot", "affirmed"),
        # an example carries the negation of what it exemplifies
        ("I wouldn't build client-side rate limiting like a token bucket", "token", "negated"),
        ("I wouldn't build client-side rate limiting. A token bucket, yes", "token", "affirmed"),
        # "one" standing for a noun stays in the scope; "one" as a subject starts a clause
        ("Reuse them rather than opening a new one per request", "request", "negated"),
        ("Reuse connections rather than open new ones, one would think", "think", "affirmed"),
        # what a "so" clause prevents
        ("IMDSv2 so pods can't steal node credentials", "credentials", "affirmed"),
        ("Conditional writes so we don't oversell stock", "stock", "affirmed"),
        ("A common reflex is to raise the timeout to minutes", "raise", "negated"),
        ("Some teams think it's isolated, so they run as root", "root", "qualified"),
        ("Some teams think autoscaling is enough, but we pre-scale", "scale", "affirmed"),
        ("If a pod won't start I just delete it", "delete", "affirmed"),
        ("If it doesn't help we roll back", "roll", "affirmed"),
        ("It's tempting to page on CPU, but users never feel it", "cpu", "negated"),
        ("Using CPU as our SLI is a trap", "cpu", "negated"),
        ("Using CPU as our SLI would be wrong", "cpu", "negated"),
        ("Retrying immediately hammers the table", "retrying", "negated"),
        ("Backoff keeps retries from hammering the table", "backoff", "affirmed"),
        ("Using DAX kills the read latency", "dax", "affirmed"),
        ("Versioned filenames, so we never have to invalidate", "invalidate", "affirmed"),
        ("We never have to invalidate the CDN", "invalidate", "negated"),
        ("A pool max size just creates queueing when you hit it", "pool", "negated"),
        (
            "Pool instead of opening a new connection per request, and size it at 2x cores",
            "size",
            "affirmed",
        ),
        (
            "Pool instead of opening a new connection per request, and size it at 2x cores",
            "opening",
            "negated",
        ),
        ("DAX is expensive but worth it for hot reads", "dax", "affirmed"),
        ("VPC endpoints are just a cost line item", "endpoints", "negated"),
        ("Requests and limits just get in the way", "limits", "negated"),
        ("IRSA instead of static keys, and RBAC limits who can read them", "rbac", "affirmed"),
        ("IRSA instead of static keys, and RBAC limits who can read them", "static", "negated"),
        (
            "Pods can't steal node credentials, and scheduled rebuilds patch the image",
            "rebuilds",
            "affirmed",
        ),
        ("Expire keys by TTL so nothing stays stale for too long", "ttl", "affirmed"),
        ("TTLs are useless, they take too long", "ttls", "negated"),
        ("I wouldn't roll back", "roll", "negated"),
        ("I dont roll back", "roll", "negated"),
        ("skip network policies and the WAF", "waf", "negated"),
        ("no standby cluster or DNS failover", "failover", "negated"),
        ("Relying on autoscaling alone is too slow", "autoscaling", "qualified"),
        ("DAX is overkill", "dax", "negated"),
        ("Restarting the pods does not help", "restarting", "negated"),
        ("Throttled requests get retried anyway, so they don't matter", "throttled", "negated"),
        ("Backoff? Not needed.", "backoff", "negated"),
        ("rolling back is rarely the answer", "rolling", "negated"),
        ("use backoff instead of retrying immediately", "retrying", "negated"),
        ("use backoff instead of retrying immediately", "backoff", "affirmed"),
        ("Never retry in a tight loop; add backoff", "backoff", "affirmed"),
        ("Don't just restart everything, look at the logs first", "logs", "affirmed"),
        ("If that doesn't help, delete the table", "delete", "affirmed"),
        ("Not only caching but also backoff", "caching", "affirmed"),
        ("I'm not sure, maybe add a cache", "cache", "affirmed"),
        ("Never skip the postmortem", "postmortem", "affirmed"),
        ("The leak never drops back after GC, and the pods get OOMKilled", "oomkilled", "affirmed"),
        ("a cache with no eviction, event listeners added per request", "listeners", "affirmed"),
        ("I would not use backoff. Add DAX.", "dax", "affirmed"),
        ("Not DAX but backoff", "backoff", "affirmed"),
        ("we stop calling it and fall back to another model", "fall", "affirmed"),
        ("Don't clean the host, rebuild it from a trusted image", "rebuild", "affirmed"),
        ("Don't clean the host, rebuild it from a trusted image", "clean", "negated"),
        # What must not happen again is the incident, not the postmortem.
        ("We'd write a postmortem so it doesn't happen again.", "postmortem", "affirmed"),
        ("Write a postmortem so this never happens again", "postmortem", "affirmed"),
        ("Chaos testing? Not going to happen.", "chaos", "negated"),
        # A failure described: what cannot be done is the symptom, not rejected advice.
        ("Usually the image can't be pulled from the registry", "pulled", "affirmed"),
        ("The pods couldn't be scheduled on any node", "scheduled", "affirmed"),
        ("Prices shouldn't be cached at checkout", "cached", "negated"),
        # What was searched for is what the pronoun removes.
        ("Look for high-cardinality metrics and get rid of them", "cardinality", "affirmed"),
        ("Find the noisy alerts and delete them", "noisy", "affirmed"),
        ("Look at DAX, but I would avoid it", "dax", "negated"),
        # Pushing back on a claim rejects it, a quotation whole.
        ("I'd push back on 'we don't need load tests'", "tests", "affirmed"),
        ("I'd push back on caching everything", "caching", "negated"),
        # A list of traps explains them; a list of mistakes rejects them.
        ("Traps: the load average counts tasks blocked on I/O", "blocked", "affirmed"),
        ("The classic mistakes: caching forever and no TTL", "caching", "negated"),
        # A shortage stated is not a verdict; "X isn't enough" is.
        (
            "Either the image can't be pulled or there isn't enough memory on the node",
            "image",
            "affirmed",
        ),
        ("Autoscaling alone is not enough", "autoscaling", "qualified"),
        ("Raising capacity is not enough to fix a hot key", "raising", "negated"),
        # A new verb after "and" ends what "instead of" rejects.
        ("Use Secrets instead of ConfigMaps and lock them down with RBAC", "rbac", "affirmed"),
        ("Use Secrets instead of ConfigMaps and plain env vars", "env", "negated"),
        # A verdict through a pronoun, or a comparison.
        (
            "Rate limiting turns away paying customers, so I wouldn't do that either",
            "rate",
            "negated",
        ),
        ("A waiting room just makes customers wait", "waiting", "negated"),
        ("A queue, which is worse than a slow site", "queue", "negated"),
        ("Backoff is worse without jitter", "backoff", "affirmed"),
        # What others say is reported; a dismissal of it points back.
        ("Everyone says circuit breakers, but honestly I don't buy it", "circuit", "negated"),
        ("Many teams don't set timeouts, but you must", "timeouts", "qualified"),
        ("People say DAX is overkill, but it saved us", "dax", "qualified"),
        ("Bulkheads? I don't buy it.", "bulkheads", "negated"),
        (
            "Token buckets and request queues. I wouldn't bother with any of that.",
            "token",
            "negated",
        ),
        (
            "Chaos engineering is a nice talk; I wouldn't bother with it in practice",
            "chaos",
            "negated",
        ),
        (
            "People say bulkheads, but honestly I think that's overengineering",
            "bulkheads",
            "negated",
        ),
        ("Add DAX. I think backoff is overkill", "dax", "affirmed"),
        ("Heap snapshots and profiling aren't worth it", "snapshots", "negated"),
        (
            "People say add OpenTelemetry, but I don't think it's useful here",
            "opentelemetry",
            "negated",
        ),
        ("Cluster autoscaler is more trouble than it's worth", "autoscaler", "negated"),
        ("Teams run containers privileged. I'd push back on that.", "privileged", "negated"),
        (
            "Snapshots aren't worth it. Same with tracking memoryUsage: GC handles it",
            "tracking",
            "negated",
        ),
        ("Add backoff. Same with jitter: it spreads retries", "jitter", "affirmed"),
        ("Jaeger is one more system to run", "jaeger", "negated"),
        # An accident is not a verdict.
        (
            "CloudTrail on access, and gitleaks to catch keys committed by mistake",
            "cloudtrail",
            "affirmed",
        ),
        ("A big-bang rollout is a mistake", "rollout", "negated"),
        ("Skipping the canary is a mistake", "skipping", "negated"),
        ("Skipping the canary is a mistake", "canary", "affirmed"),  # the skipping is judged
        # What the books say, then judged in the next sentence, all of the report.
        (
            "The textbook answer is p95 and error rate, a 99.9% SLO and an error budget. "
            "Honestly I don't think that's useful.",
            "p95",
            "negated",
        ),
        ("The textbook answer is p95 latency, and I agree with it", "p95", "affirmed"),
        # "it" is often a dummy subject; "that" points back.
        (
            "Roll back the bad deploy right away. It doesn't matter yet what caused it.",
            "roll",
            "affirmed",
        ),
        ("Add a bulkhead per dependency. I think that's overkill.", "bulkhead", "negated"),
        # ... but a limit is no verdict on its worth: nuance, not a rejection.
        (
            "Raise the provisioned write capacity on the table right away. That doesn't fix a "
            "hot key though.",
            "raise",
            "affirmed",
        ),
        (
            "Roll back the deploy that lined up with the spike. That doesn't tell you the root "
            "cause.",
            "roll",
            "affirmed",
        ),
        ("On-demand is a start. That isn't enough for a hot partition", "hot", "affirmed"),
        # A verdict verb with a case of its own is a limit; with any case, a rejection.
        ("More capacity won't fix a hot partition", "capacity", "qualified"),
        ("Restarting the pods won't fix the problem", "restarting", "negated"),
        ("Retries don't help the users", "retries", "negated"),
        ("People talk a lot about health checks, but I don't buy it", "health", "negated"),
        ("I'd stay away from on-demand mode", "demand", "negated"),
        ("Splitting errors by AZ is also wasted time", "splitting", "negated"),
        ("Bulkheads waste resources because you split your pools", "bulkheads", "negated"),
        ("Circuit breakers are extra complexity", "circuit", "negated"),
        ("Throttling alerts are mostly noise", "throttling", "negated"),
        ("External secret managers add a lot of moving parts", "secret", "negated"),
        ("Graceful degradation sounds nice, but the business wants it all", "graceful", "negated"),
        ("Lambda has fewer moving parts than a fleet", "lambda", "affirmed"),
        # A cost removed is no verdict; a concession is one only when the sentence turns.
        ("Runbooks cut wasted time during incidents", "runbooks", "affirmed"),
        ("Managed Redis removes a lot of moving parts", "redis", "affirmed"),
        ("Use inhibition rules to drop what is mostly noise", "inhibition", "affirmed"),
        (
            "Pre-scaling sounds good in theory, and in practice it works if you load test",
            "scaling",
            "affirmed",
        ),
        # The means of an avoidance is affirmed.
        ("Stay away from hot keys by spreading the partition key", "spreading", "affirmed"),
        ("Stay away from hot keys by spreading the partition key", "hot", "negated"),
        # A relative clause that ends on its verb describes the fault.
        ("Pending: affinity that doesn't match, PVC not bound", "pvc", "affirmed"),
        ("I would pick a design that does not use DAX", "dax", "negated"),
        (
            "The anti-pattern I see a lot: the team gets flooded, and someone mutes the channel.",
            "mutes",
            "negated",
        ),
        ("The mistake I see most: relying on the autoscaler", "autoscaler", "negated"),
        ("The anti-pattern I'd avoid is a connection per request", "connection", "negated"),
        ("The mistake I'd never make is relying on the autoscaler", "autoscaler", "negated"),
        (
            "The anti-pattern is a connection per request: it exhausts max_connections",
            "max",
            "affirmed",
        ),
    ],
)
def test_stance(text, word, expected):
    assert stance_of(text, word) == expected


def test_every_occurrence_has_its_own_stance():
    text = "Never delete the table at first; later, delete the table anyway."
    assert stance_of(text, "delete", 0) == "negated"
    assert stance_of(text, "delete", 1) == "affirmed"


def test_normalize_folds_width_quotes_and_contractions_and_maps_back():
    folded = normalize("Ｉ don’t ＤＡＸ")
    assert folded.text == "I do not DAX"
    start = folded.text.index("DAX")
    assert folded.span(start, start + 3) == (8, 11)


def test_language_check():
    assert not mostly_not_english("I would roll back the release and check the logs.")
    assert mostly_not_english(
        "Revisaría los logs y haría rollback de la versión con la que empezó."
    )
    assert mostly_not_english("Я бы откатил релиз и проверил логи")
    assert not mostly_not_english("kubectl rollout undo deployment/cloudmart-backend")


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("Burn rate alerts, e.g. 14x over 1h. Then review.", 2),
        ("Alert on burn rate, i.e. the budget spent. Then review.", 2),
        ("Redis, a CDN etc. and DAX", 1),
        ("Redis, a CDN etc. Then page someone.", 2),
        ("Latency vs. last week", 1),
    ],
)
def test_a_full_stop_after_an_abbreviation_ends_a_sentence_only_before_a_capital(text, units):
    stance = Stance(normalize(text).text)
    assert len(set(stance.unit)) == units and len(set(stance.sentence)) == units


def phrase_stance(text: str, phrase: list[str]) -> str:
    """The stance of a matched phrase: its words' starts, as the grader passes them."""
    stance = Stance(normalize(text).text)
    starts = tuple(next(t.start for t in stance.tokens if t.word == w) for w in phrase)
    last = stance.tokens[[t.start for t in stance.tokens].index(starts[-1])]
    return stance.polarity(starts[0], last.end, starts)


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        # the verdict is a word of the phrase: it says what the phrase says
        ("Usually the image tag is wrong or ECR is unreachable", ["image", "wrong"], "affirmed"),
        ("If it's ErrImagePull the image name is wrong", ["image", "name", "wrong"], "affirmed"),
        ("Health-check them so dead connections get dropped", ["dead", "dropped"], "affirmed"),
        # ... but a verdict outside the phrase still judges it
        ("Dropping dead connections is overkill", ["dead", "connections"], "negated"),
        ("The image tag is wrong to pin, I'd say", ["image", "tag"], "negated"),
    ],
)
def test_a_verdict_inside_the_phrase_is_the_phrase_s_own(text, phrase, expected):
    assert phrase_stance(text, phrase) == expected


@pytest.mark.parametrize(
    ("text", "vocabulary"),
    [
        ("OpenTelemetry, Jaeger, trace IDs, sampling", True),
        # an underscored metric name is one term; "sharding" and "recording rules" are nouns
        ("cardinality, prometheus_tsdb_head_series, retention, recording rules, sharding", True),
        # imperatives and explained items are not a list of terms
        ("raise WCU, add backoff, enable alarms", False),
        ("failover via Route 53, rebuild with Terraform, comms", False),
    ],
)
def test_a_list_of_terms_is_vocabulary(text, vocabulary):
    stance = Stance(normalize(text).text)
    assert [info.vocabulary for info in unit_information(stance).values()] == [vocabulary]
