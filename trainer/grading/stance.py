"""What an answer claims about the words it uses: affirmed, argued against, or only qualified.

After NegEx and ConText (Chapman et al.): negation triggers before a term ("never", "don't",
"skip", "instead of") and after it ("... is pointless", "... doesn't help") put the term in
their scope; pseudo-triggers ("not only", "not sure") negate nothing; scope ends at a clause
boundary ("but", "so", "because", a new clause after a comma) and never crosses a sentence.
Two triggers in one scope cancel ("never skip the postmortem").

The answer is also cut into units (sentences, lines, semicolon parts) to judge how much it
says around each rubric term: a bare term in a list is vocabulary, not an explanation.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from trainer.grading.text import NEGATORS, STOP_WORDS, stem, words

# -- the lexicon ---------------------------------------------------------------------------
PRE_TRIGGERS = NEGATORS | frozenset(
    "avoid avoiding avoided skip skipping stop stopping ditch forget forgo refuse reject "
    "disable disabling ignore ignoring nobody nothing".split()
)
# In a result clause ("so nothing stays stale for too long") a negative subject says what the
# action prevents: a verdict on it is not one on the action.
PREVENTED_BY = frozenset("nothing nobody never none".split())
# Determiner-like triggers scope over one noun phrase: "no eviction, event listeners added on
# every request" negates the eviction only.
NOUN_TRIGGERS = frozenset("no without none instead rather better safer".split())
PRE_PHRASES = (
    ("tempting", "to"),  # "it's tempting to page on CPU, but ..."
    ("last", "thing", "you", "want"),  # "the last thing you want is to delete the TSDB"
    ("last", "thing", "i", "want"),
    ("last", "thing", "we", "want"),
    ("instead", "of"),
    ("rather", "than"),
    ("better", "than"),
    ("safer", "than"),
    ("turn", "off"),
    ("turning", "off"),
    ("switch", "off"),
    ("get", "rid", "of"),
    ("do", "away", "with"),
    ("no", "need"),
    ("argue", "against"),
    ("advise", "against"),
    ("recommend", "against"),
    ("decide", "against"),
    ("decided", "against"),
    ("warn", "against"),
    ("stay", "away", "from"),
    ("keep", "away", "from"),
    ("steer", "clear", "of"),
    # "don't just restart the pods: isolate them" rejects the restart
    ("do", "not", "just"),
    ("would", "not", "just"),
)
# Nouns that introduce what they reject: "the big mistake is relying on the autoscaler",
# "the mistake I push back on is 'we have autoscaling, so no capacity planning'", "the classic
# mistakes: SSH open to 0.0.0.0/0, a public API endpoint".
REJECTION_CUES = (
    *(
        (w,)
        for w in "mistake mistakes myth myths pitfall pitfalls trap traps antipattern "
        "antipatterns misconception misconceptions reflex reflexes temptation tempting "
        "instinct instincts".split()
    ),
    ("anti", "pattern"),  # "anti-pattern" is two words
    ("anti", "patterns"),
)
COPULAS = frozenset("is are was were".split())
CUE_VERBS = COPULAS  # "the mistake is X": what follows them is rejected
# Cues whose list after a colon is as often the trap explained as the practice rejected.
EXPLAINED_CUES = frozenset("trap traps pitfall pitfalls".split())
# Verbs that reject what follows them to the end of the sentence, a quotation whole: "I'd push
# back on 'we have autoscaling, so we don't need capacity planning'".
REJECTING_VERBS = (("push", "back", "on"), ("pushed", "back", "on"), ("pushing", "back", "on"))
# What others do, said to set it apart: "a lot of people only watch the Lambda errors, but..."
# (to the end of its clause).
OTHERS_DO = (
    ("a", "lot", "of", "people"),
    ("lots", "of", "people"),
    ("many", "people"),
    ("most", "people"),
    ("some", "people"),
    ("many", "teams"),
    ("most", "teams"),
    ("a", "lot", "of", "teams"),
    ("lots", "of", "teams"),
    ("some", "teams"),
    ("plenty", "of", "teams"),
    ("a", "lot", "of", "companies"),
    ("a", "lot", "of", "engineers"),
    ("many", "engineers"),
    ("some", "engineers"),
    ("many", "companies"),
    ("most", "companies"),
    ("people", "often"),
    # ... and what follows from a practice: "you end up with hundreds of alerts, people mute
    # the channel, and the real page gets missed"
    ("end", "up", "with"),
    ("ends", "up", "with"),
    ("leads", "to"),
    ("lead", "to"),
    ("results", "in"),
    ("teams", "often"),
    ("seen", "people"),  # "I've seen people check .env files in - it backfires"
    ("seen", "teams"),
    # ... and what others say: "everyone says circuit breakers, but I don't buy it"
    ("everyone", "says"),
    ("everybody", "says"),
    ("people", "say"),
    ("people", "always", "say"),
    ("people", "talk", "about"),
    ("everyone", "talks", "about"),
    ("people", "talk", "a", "lot", "about"),
    # ... and what the books say: "the textbook answer is p95 and an error budget, but ..."
    ("the", "textbook", "answer"),
    ("the", "standard", "answer"),
    ("the", "usual", "answer"),
)
# Verbs that only carry a negation to the real object ("wouldn't bother measuring ...").
# May close a clause after its object without being one: "wouldn't do that either".
TRAILING_ADVERBS = frozenset(
    "either too anyway ever any all practice here really anymore personally myself well".split()
)
LIGHT_VERBS = frozenset("bother worry care need want try go buy".split())  # "don't buy it"
# Look like negations, negate nothing.
PSEUDO = (
    ("nothing", "beats"),  # praise: "nothing beats DAX for hot reads"
    ("nothing", "wrong"),
    ("not", "only"),
    ("not", "just"),
    ("not", "merely"),
    ("no", "doubt"),
    ("no", "matter"),
    ("not", "sure"),
    ("not", "certain"),
    ("not", "necessarily"),
    ("whether", "or", "not"),
    ("if", "not"),
    ("or", "not"),
    ("not", "to", "mention"),
    ("no", "later"),
    ("not", "least"),
    ("without", "exception"),
    ("never", "again"),
    ("no", "blame"),
)
# "not only X" keeps X; "wouldn't only monitor" does not: these pseudo-triggers count only
# where no auxiliary stands before them.
AUXILIARIES = frozenset(
    "do does did would should will can could must is are was were be have has had need shall "
    "may might".split()
)
# Verbs of searching: "find the noisy alerts and delete them" removes what was found.
SEARCH_STEMS = frozenset(stem(w) for w in "find identify spot detect locate".split())
# After a term, in its clause: "restarting the pods does not help", "DAX is overkill".
POST_WORDS = frozenset(
    "pointless useless overkill unnecessary unneeded needless wasteful harmful dangerous "
    "counterproductive irrelevant myth mistake antipattern unrealistic unachievable "
    "brittle overengineering overengineered premature overcomplicate "
    "overcomplicates overcomplicated paperwork busywork overrated overthinking theatre theater "
    "buzzword nah nope ruins bureaucracy bureaucratic backfires backfired".split()
)
# Adjectives that are a verdict only as a predicate ("X is noisy"), not before a noun ("freeze
# risky releases", "redundant replicas").
PREDICATE_VERDICTS = frozenset(
    "risky noisy redundant unreliable messy fiddly paranoid meaningless".split()
)
POST_AFTER_NOT = frozenset(
    "help helps helping fix fixes needed necessary required enough worth relevant related "
    "matter matters recommended advisable solve solves answer solution problem issue cause "
    "culprit bottleneck useful reliable real concern important meaningful achievable "
    "realistic feasible scale scales tell tells show shows happen happens".split()
)
POST_PHRASES = (
    ("is", "expensive"),  # "counting rows is expensive", not "DAX is expensive but worth it"
    ("are", "expensive"),
    ("get", "in", "the", "way"),
    ("gets", "in", "the", "way"),
    ("waste", "of"),
    ("a", "waste"),
    ("too", "slow"),
    ("bad", "idea"),
    ("bad", "practice"),
    ("is", "wrong"),
    ("are", "wrong"),
    ("be", "wrong"),  # "using CPU as the SLI would be wrong"
    ("is", "a", "trap"),  # "using CPU as our SLI is a trap" ("the trap is X" is a cue)
    ("are", "a", "trap"),
    ("is", "worse", "than"),  # not "backoff is worse without jitter"
    ("are", "worse", "than"),
    ("more", "trouble", "than"),
    ("more", "hassle", "than"),
    ("one", "more", "system"),  # "Jaeger is one more system to run"
    ("another", "system", "to"),
    ("anti", "pattern"),
    ("red", "herring"),
    ("make", "it", "worse"),
    ("makes", "it", "worse"),
    ("make", "things", "worse"),
    ("makes", "things", "worse"),
    ("no", "point"),
    ("waste", "time"),
    ("wastes", "time"),
    ("wasting", "time"),
    ("slow", "things", "down"),
    ("slows", "things", "down"),
    ("more", "risk", "than"),
    ("for", "nothing"),
    ("a", "pain"),
    ("too", "late"),
    ("more", "trouble"),
    ("more", "harm"),
    ("more", "problems"),
    ("add", "complexity"),
    ("adds", "complexity"),
    ("more", "complexity"),
    ("just", "noise"),
    ("is", "noise"),
    ("are", "noise"),
    ("pure", "noise"),
    ("throwing", "money"),
    ("throw", "money"),
    ("nobody", "reads"),
    ("be", "ignored"),
    ("last", "resort"),
    ("only", "makes", "sense"),
    ("only", "make", "sense"),
    ("only", "matters"),
    ("only", "happen"),
    ("only", "happens"),
    ("edge", "cases"),
    ("edge", "case"),
    ("causes", "more"),
    ("cause", "more"),
    ("slows", "down"),
    ("break", "too", "many"),
    ("breaks", "too", "many"),
    ("never", "works"),
    ("never", "work"),
    ("cop", "out"),
    ("over", "engineering"),
    ("over", "engineered"),
    ("micro", "optimisation"),
    ("micro", "optimisations"),
    ("micro", "optimization"),
    ("micro", "optimizations"),
    ("wasted", "money"),
    ("wasted", "effort"),
    ("wasted", "time"),
    ("waste", "resources"),
    ("wastes", "resources"),
    ("mostly", "noise"),
    ("extra", "complexity"),
    ("more", "moving", "parts"),
    ("extra", "moving", "parts"),
    ("of", "moving", "parts"),  # "add a lot of moving parts"
    ("theoretical", "problem"),
    ("loses", "information"),
)
# A concession, a verdict only when the sentence then turns: "graceful degradation sounds
# nice, but the business wants it all" (not "sounds good in theory, and it works in practice").
CONCESSIONS = (
    ("is", "tempting"),  # "caching forever is tempting, but ..."
    ("are", "tempting"),
    ("sounds", "nice"),
    ("nice", "in", "theory"),
    ("good", "in", "theory"),
    ("nice", "on", "paper"),
    ("good", "on", "paper"),
)
CONTRASTS = frozenset("but however though although yet".split())
SEEMS = frozenset("sounds seems looks".split())
# A cost after one of these is removed, not caused: "runbooks cut wasted time", "managed Redis
# removes a lot of moving parts".
REDUCING_STEMS = frozenset(
    stem(w) for w in "cut remove reduce drop eliminate avoid save trim lower strip".split()
)
# "just" + one of these is a verdict: "exponential backoff just hides the problem".
JUST_VERBS = frozenset(
    stem(w)
    for w in "hides slows wastes breaks burns throws delays produces annoys complicates "
    "complicate risks confuses".split()
)
# "... just adds <cost>": a verdict when what it adds is a cost.
JUST_ADDS = frozenset(
    stem(w) for w in "adds causes creates brings makes produces doubles triples".split()
)
# Verbs after "not" that judge a thing ("the dashboard doesn't tell you why") but are the
# speaker's own act with "I" or "we" ("I'd not tell customers").
TELLING = frozenset("tell tells say says show shows".split())
# What introduces an example of the words before it ("no rate limiting like a token bucket").
EXAMPLE_WORDS = frozenset(("like", "including"))
# Words before a "one" that stands for a noun ("opening a new one per request").
NOUN_BEFORE = frozenset("a an the new another each every old other single this that".split())
# An action done to excess: as the subject of a harm verb, the verdict is on it ("immediate
# retries multiply load on the provider").
EXCESSIVE = frozenset("immediate aggressive blind infinite unlimited unbounded tight".split())
# What a component that "can't" do them is failing at: a symptom ("the node can't reach ECR").
SYMPTOM_VERBS = frozenset(
    "reach connect pull resolve mount bind authenticate start schedule talk find access".split()
)
# What an action prevents, named after a negation in a "so" clause ("so we don't overload it").
TROUBLE_WORDS = frozenset(
    "overload overloads overwhelm exhaust exhausts crash crashes leak leaks lose stale "
    "flood hammer starve steal oversell hang corrupt".split()
)
TROUBLE_PAIRS = frozenset({("too", "many"), ("too", "much"), ("run", "out"), ("runs", "out")})
# What an action does to the system, said of it as a subject: a verdict against it.
HARM_VERBS = frozenset(
    "exhausts overloads hammers floods starves kills breaks melts overwhelms amplifies "
    "multiplies exhaust overload hammer flood starve kill break melt overwhelm amplify "
    "multiply".split()
)
# "X is too complex / too much hassle": a verdict.
TOO_MUCH = frozenset(
    "complex complicated expensive fiddly confusing noisy theoretical risky costly heavy hard "
    "fragile brittle much long slow late".split()
)
WORSE = frozenset("harder slower worse riskier costlier noisier wait".split())
COST_NOUNS = frozenset(
    "cost costs latency complexity clutter noise overhead toil breakage risk confusion bloat "
    "work outages outage incidents errors failures load something queueing queuing contention "
    "delays".split()
)
# Adverbs that make a verdict negative like "not": "rolling back is rarely the answer".
NEGATIVE_ADVERBS = frozenset("not never rarely seldom hardly".split())
# Words that only point back at what was said: a post-trigger after them judges the clause
# before ("..., so they do not matter").
REFERRING = frozenset(
    "it its they them that this these those which is are was were be been so and but then "
    "just really actually also all honestly frankly simply do does did will would can could "
    "should might may shall s i think personally".split()  # "but I think that's overkill"
)
# A post-trigger of insufficiency with one of these only qualifies the term ("autoscaling
# alone is too slow"): the candidate keeps it as part of the answer.
QUALIFIERS = frozenset("alone only just itself own solely".split())
INSUFFICIENT = frozenset("enough insufficient slow".split())

# Content words a pre-trigger reaches (NegEx uses five): "never, under any load, add DAX".
SCOPE_WORDS = 6
# Clause boundaries for negation scope.
BOUNDARY_WORDS = frozenset(
    "but however although though whereas so then because since while otherwise except "
    "unless yet therefore thus hence if whether".split()
)
PRONOUNS = frozenset(
    "i we you they he she it let lets one anyone everyone someone anybody everybody somebody "
    "nobody".split()
)
# Objects that point back: "..., so I avoid it", "I'd turn them off".
OBJECT_PRONOUNS = frozenset("it them that this those these one".split())
DEMONSTRATIVES = frozenset("that this these those they".split())
# "won't fix a hot partition": a verdict verb with a case of its own...
LIMIT_VERBS = frozenset("fix fixes solve solves help helps prevent prevents".split())
# ... unless the case is any case: "won't fix the problem".
GENERIC_OBJECTS = frozenset(
    "problem problems issue issues root cause thing things underlying real actual users user "
    "customers outage incident situation".split()
)
# Verdicts on a thing's worth, which may judge the sentence before through a demonstrative.
WORTH_VERDICTS = (
    POST_WORDS
    | PREDICATE_VERDICTS
    | frozenset(
        "useful helpful needed necessary required worth relevant important meaningful "
        "realistic feasible advisable recommended".split()
    )
)
DETERMINERS = frozenset("the a an our their its this that these those".split())
# After a comma, these start a new subject unless an "or" list goes on.
NEW_SUBJECTS = DETERMINERS | frozenset(
    "everything nothing everyone other others all most some cart checkout search".split()
) - {"a", "an"}
SUBORDINATORS = frozenset("if when once whenever until after before".split())
# Verbs a candidate uses to say what they would do; a comma followed by one starts a new
# clause ("don't just restart everything, look at the data first"). Stems.
ACTION_VERBS = frozenset(
    stem(w)
    for w in (
        "check look add raise increase bump enable roll revert scale restart deploy set "
        "configure monitor alert page declare open create run investigate verify confirm "
        "compare correlate query inspect review fix move switch put keep make implement "
        "introduce apply rotate store encrypt audit tag limit cap throttle retry cache shard "
        "drain cordon evict delete drop remove kill start write send notify inform tell update "
        "communicate escalate call ask find identify measure track trace profile tune test load "
        "prescale warm provision reserve request pin route shift block allow deny require "
        "enforce isolate snapshot backup restore replicate document mitigate rollback reduce "
        "lower cut split batch buffer queue spread investigate analyze analyse dig grep watch "
        "go try get start pull push build ship enable migrate upgrade patch fall rebuild "
        "lock restrict grant revoke fail"
    ).split()
)
# Words that carry no information about the point ("I would also use X there").
FILLER = frozenset(
    "also would could should will can may might must there here thing things stuff "
    "something etc really just like basically definitely probably maybe some lot lots good "
    "great important key do does did doing have has had get got need needs want think guess "
    "know very too well yes ok okay sure actually always usually generally stuff approach "
    "way ways kind sort pretty quite much many more most other others another same part "
    "whatever anything everything all any each every case cases start thing one two "
    "important essential crucial critical vital useful key matter matters priority standard "
    "used provide provides tool tools help helps best off up down out over".split()
)
# A verdict of worth: a sentence that only says a term is great tells nothing about it.
PRAISE = frozenset(
    "important essential crucial vital useful helpful great amazing fantastic awesome powerful "
    "valuable fan believer popular future love loves excellent nice cool brilliant wonderful "
    "favourite favorite".split()
)
# Words that talk about a topic without saying anything about it ("X is relevant here, of
# course, as part of the overall strategy"), praise among them ("everyone loves it").
VAGUE = PRAISE | frozenset(
    "relevant situation situations industry course overall together forward following follow "
    "along bring brings manner mention mentioned play plays role strategy strategies aspect "
    "aspects area areas topic topics concept concepts idea ideas practice practices general "
    "consider considering considered come comes coming into picture consideration "
    "considerations mature familiar aware ecosystem challenge challenges huge experience "
    "factor factors story conversation foundation strongly feel principle posture "
    "heading exists philosophy appreciate stakeholders element elements modern "
    "mind about talk talks big name hugely incredibly super absolutely fans loved everyone "
    "everybody famous famously responsibility embrace golden terrific companies hardest "
    "seriously context".split()
)
REASON_WORDS = frozenset(
    "because since so which otherwise prevent avoid stop reduce keep catch protect ensure "
    "why cause causes caused means".split()
)


# A sentence or line ends a unit and every scope; a colon, dash or bracket ends a scope only
# ("bulkheads: separate pools per dependency" is one unit of information).
def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):  # longest first
        table.setdefault(phrase[0], []).append(phrase)
    return table


_PSEUDO = _by_first_word(PSEUDO)
_OTHERS_DO = _by_first_word(OTHERS_DO)
# Taking what others do as one's own: "a lot of people turn auth off, and so would I".
ENDORSEMENTS = (
    ("so", "would", "i"),
    ("so", "do", "i"),
    ("so", "would", "we"),
    ("so", "do", "we"),
    ("me", "too"),
    ("and", "i", "agree"),
    ("i", "would", "too"),
    ("i", "do", "too"),
    ("same", "here"),
)
_ENDORSEMENTS = _by_first_word(ENDORSEMENTS)
OWN_VOICE = frozenset(("i", "we"))
_OPENS_UNPUNCTUATED = BOUNDARY_WORDS | {"and", "or"}
BELIEF_VERBS = frozenset("think thinks believe believes assume assumes claim claims".split())
_QUOTE_MARKS = ('"', "\u201c", "\u201d")
_PRE = _by_first_word(PRE_PHRASES)
# The words _pre_negation must look at when no negation is open: any other word only moves on.
_PRE_SCAN = (
    PRE_TRIGGERS
    | set(_PSEUDO)
    | set(_PRE)
    | {"nothing", "never", "not", "than", "turn", "switch", "turning", "switching"}
    | {"and", "or", "nor"}
)
_POST = _by_first_word(POST_PHRASES)
_CONCESSIONS = _by_first_word(CONCESSIONS)
_REJECTING = _by_first_word(REJECTING_VERBS)
_CUES = _by_first_word(REJECTION_CUES)
# Every word a post-trigger can start with (the "make" family is tested by its first letters).
_POST_STARTS = (
    POST_WORDS
    | HARM_VERBS
    | SEEMS
    | NEGATIVE_ADVERBS
    | COPULAS
    | frozenset(("just", "too"))
    | frozenset(_CONCESSIONS)
    | frozenset(_POST)
)

_UNIT_BREAK = re.compile(r"[.!?]\s|[;\n]")
# A line break inside a sentence of prose (an answer wrapped at ~80 columns) is a space; one
# after a short line, before a bullet or as a blank line ends the sentence.
_SOFT_WRAP = re.compile(r"^[ \t]*\n[ \t]*$")
WRAPPED_LINE = 40  # characters: a line at least this long was wrapped, not ended
# "e.g. 14x over 1h", "i.e. the", "vs. last week": a full stop that ends a word, not a sentence.
_ABBREVIATION = re.compile(
    r"(?:\b[ei]\.g|\bi\.e|\b(?:etc|vs|approx|incl|esp))\.\s+$", re.IGNORECASE
)
_ABBREVIATED = frozenset("g e etc vs approx incl esp".split())  # their last words
_SCOPE_BREAK = re.compile(r"[:()\[\]]|\s[-–—]\s|\s[-–—]$|^[-–—]\s")
_QUESTION = re.compile(r"\?")
_INLINE_CODE = re.compile(r"`[^`\n]{1,80}`")  # `privileged: true`, `kubectl get pods -A`


class Token(NamedTuple):
    word: str
    start: int
    end: int


class Stance:
    """Per-word stance of one (normalized) answer."""

    def __init__(self, text: str, found_words: list[tuple[str, int, int]] | None = None):
        self.text = text
        self.tokens = [Token(w, s, e) for w, s, e in (found_words or words(text))]
        self.words = tuple(t.word for t in self.tokens)
        n = len(self.tokens)
        self.sentence = [0] * n
        self.unit = [0] * n
        self.clause = [0] * n
        self.negated = [False] * n  # in the scope of an odd number of triggers
        self.qualified = [False] * n  # "X alone is not enough": neither for nor against
        self.trigger = [False] * n  # the token is (part of) a negation trigger
        self.trigger_start = list(range(n))  # where the trigger a token belongs to starts
        self.judged = [False] * n  # negated by a later verdict on it ("... I don't buy it")
        # the words of the later verdict that alone negates a token (none: -1, -1)
        self.verdict_at: list[tuple[int, int]] = [(-1, -1)] * n
        self.reported = [False] * n  # what others do or say, not judged: not one's own words
        self._code = [m.span() for m in _INLINE_CODE.finditer(text)] if "`" in text else []
        self._segment()
        self._pre_negation()
        self._post_negation()
        self._rejected_after_cues()
        self._same_as_before()
        self._others_practice()
        self._done_blindly()
        self._starts = [t.start for t in self.tokens]
        self._at = {start: i for i, start in enumerate(self._starts)}
        self.stems = [stem(t.word) for t in self.tokens]
        self.stem_at = dict(zip(self._starts, self.stems, strict=True))  # token start -> stem
        self._units: dict[int, list[Token]] | None = None

    # -- segmentation ----------------------------------------------------------------------
    def _gap(self, i: int) -> str:
        """What stands between token i and the one before it (a space inside inline code:
        the colon of `privileged: true` ends no clause)."""
        before = self.tokens[i - 1].end if i else 0
        if self._code and any(a <= before and self.tokens[i].start < b for a, b in self._code):
            return " "
        return self.text[before : self.tokens[i].start]

    def _segment(self) -> None:
        sentence = unit = clause = 0
        in_if = False  # inside "if ... ,": the comma ends the condition
        tokens = self.tokens
        for i, token in enumerate(tokens):
            if i:
                gap = self._gap(i)
                if gap != " " and "\n" in gap and self._soft_wrap(i, gap):
                    gap = " "
                elif gap.startswith(".") and self._abbreviated(i):
                    gap = gap[1:] or " "
                if gap == " ":
                    # Without punctuation only these words may open a clause.
                    opens = token.word in _OPENS_UNPUNCTUATED or in_if and token.word in OWN_VOICE
                    if opens and self._breaks_clause(i, gap, in_if):
                        clause += 1
                        in_if = False
                elif _UNIT_BREAK.search(gap):
                    sentence += 1
                    unit += 1
                    clause += 1
                    in_if = False
                elif (
                    _SCOPE_BREAK.search(gap) and not self._introduces(i, gap)
                ) or self._breaks_clause(i, gap, in_if):
                    clause += 1
                    in_if = False
            if token.word in SUBORDINATORS and (i == 0 or self.clause[i - 1] != clause):
                in_if = True
            self.sentence[i], self.unit[i], self.clause[i] = sentence, unit, clause

    def _abbreviated(self, i: int) -> bool:
        """The full stop before token i ends an abbreviation ("e.g.", "etc.") and the sentence
        goes on: what follows starts in lower case or with a digit ("e.g." always goes on)."""
        previous = self.tokens[i - 1]
        if previous.word not in _ABBREVIATED:
            return False
        if not _ABBREVIATION.search(self.text, max(0, previous.start - 2), self.tokens[i].start):
            return False
        return previous.word in ("g", "e") or not self.text[self.tokens[i].start].isupper()

    def _soft_wrap(self, i: int, gap: str) -> bool:
        """A single line break in the middle of a sentence of a long (wrapped) line."""
        if not _SOFT_WRAP.match(gap):
            return False
        previous = self.tokens[i - 1]
        line_start = self.text.rfind("\n", 0, previous.start) + 1
        return previous.end - line_start >= WRAPPED_LINE

    def _introduces(self, i: int, gap: str) -> bool:
        """ "What I avoid: caching prices", "Things I would not cache: stock and prices" - a
        colon right after a trigger, or after a trigger and its verb, keeps its scope."""
        return gap.strip() == ":" and (
            self.tokens[i - 1].word in PRE_TRIGGERS
            or i >= 2
            and self.tokens[i - 2].word in PRE_TRIGGERS
            and self.tokens[i - 2].word not in NOUN_TRIGGERS  # "no alerts: ..." names a state
            and self.tokens[i - 1].word not in STOP_WORDS
        )

    def _breaks_clause(self, i: int, gap: str, in_if: bool) -> bool:
        word = self.tokens[i].word
        if word in BOUNDARY_WORDS:
            return not self._is_pseudo_boundary(i)
        if word in ("and", "or") and i + 1 < len(self.tokens):
            following = self.tokens[i + 1].word
            if following in PRONOUNS or following in PRE_TRIGGERS or following == "then":
                return True
            if (
                word == "and"
                and stem(following) in ACTION_VERBS
                and self._verb_before(i)
                and not (following.endswith("ing") and self._gerund_objects(i))
            ):
                # "disable escalation and apply the seccomp profile" (but "wouldn't raise the
                # RCU or switch to on-demand" keeps both under the negation, and "backoff and
                # retry budgets" is still the subject)
                return True
            if "," in gap and (following in DETERMINERS or following in AUXILIARIES):
                return True  # ", and the pods get OOMKilled": a new subject
            if "," in gap and self._subject_and_verb(i + 1):
                return True  # ", and RBAC limits who can read them": a clause of its own
            if (
                word == "and"
                and "," in gap
                and i + 2 < len(self.tokens)
                and (
                    self.tokens[i + 2].word in OBJECT_PRONOUNS
                    or self.tokens[i + 2].word in DETERMINERS
                )
            ):
                # ", and size it at ...": a verb and its object (", or putting them in Git"
                # goes on with what a negation rejects)
                return True
        if "," in gap and word in NEW_SUBJECTS and not self._list_continues(i):
            return True  # "customers cannot search, cart and checkout still work"
        if in_if and word in OWN_VOICE and self.tokens[i - 1].word not in SUBORDINATORS:
            return True  # "if a pod won't start I delete it": the main clause, comma or not
        return "," in gap and (in_if or self._opens_clause(i))

    def _subject_and_verb(self, i: int) -> bool:
        """A short subject at token i (one or two words) and then its verb, which a determiner,
        pronoun, "who" or "what" follows: "RBAC limits who can ...", "scheduled rebuilds patch
        the base image"."""
        for k in (i + 1, i + 2):
            if k + 1 >= len(self.tokens) or self.tokens[k - 1].word in STOP_WORDS:
                return False
            word, after = self.tokens[k].word, self.tokens[k + 1].word
            if stem(word) in ACTION_VERBS and (
                after in DETERMINERS or after in PRONOUNS or after in ("who", "what")
            ):
                return True
        return False

    def _gerund_objects(self, i: int) -> bool:
        """Whether "and" at i joins another gerund to a trigger's objects: "avoid recording
        rules and dropping labels" avoids both."""
        k = i - 1
        clause = self.clause[k] if k >= 0 else -1
        while k >= 0 and self.clause[k] == clause:
            if self.tokens[k].word in PRE_TRIGGERS:
                return any(t.word.endswith("ing") for t in self.tokens[k + 1 : i])
            k -= 1
        return False

    def _verb_before(self, i: int) -> bool:
        """Whether the clause so far (up to token i) has a verb: after one, "and" + a verb
        starts another predicate; before one, it is still the subject."""
        k = i - 1
        clause = self.clause[k] if k >= 0 else -1
        while k >= 0 and self.clause[k] == clause:
            word = self.tokens[k].word
            if stem(word) in ACTION_VERBS or word in PRE_TRIGGERS or word in AUXILIARIES:
                return True
            k -= 1
        return False

    def _is_pseudo_boundary(self, i: int) -> bool:
        """A boundary word that ends nothing: "or so", "since 14:02"."""
        word = self.tokens[i].word
        if word == "so" and i and self.tokens[i - 1].word == "or":
            return True
        return word == "since" and i + 1 < len(self.tokens) and self.tokens[i + 1].word.isdigit()

    def _opens_clause(self, i: int) -> bool:
        word = self.tokens[i].word
        return (
            word in PRONOUNS
            or word in SUBORDINATORS
            or word in PRE_TRIGGERS
            or word in BOUNDARY_WORDS
            or stem(word) in ACTION_VERBS
        )

    def _list_continues(self, i: int) -> bool:
        """After a comma in "no A, B or C": the list goes on while an "or" is still ahead in
        the clause before the next comma."""
        for k in range(i, len(self.tokens)):
            if self.clause[k] != self.clause[i] or (k > i and "," in self._gap(k)):
                return False
            if self.tokens[k].word in ("or", "nor"):
                return True
        return False

    # -- negation ------------------------------------------------------------------------
    def _phrase_at(self, i: int, table: dict[str, list[tuple[str, ...]]]) -> tuple[str, ...]:
        """The longest phrase of the table that starts at token i, within one clause; ()."""
        for phrase in table.get(self.words[i], ()):
            end = i + len(phrase)
            # Clause numbers only grow along the answer: equal at both ends, equal throughout.
            if (
                end <= len(self.words)
                and self.words[i:end] == phrase
                and self.clause[end - 1] == self.clause[i]
            ):
                return phrase
        return ()

    def _pre_negation(self) -> None:
        negating = False
        window = 0  # content words left in the current trigger's scope
        since_trigger = 99  # words since the last trigger: "never skip" cancels, a list doesn't
        noun_scope = False  # "no", "without", "instead of", a contrastive "not": one phrase
        either = False  # the trigger follows "either": its "or" ends it
        clause = -1
        i = 0
        n = len(self.tokens)
        while i < n:
            word = self.tokens[i].word
            if not negating and word not in _PRE_SCAN:
                # Nothing is negated and the word starts nothing: the window does not matter
                # until a trigger or "and" opens one again (each sets it afresh).
                if self.clause[i] != clause:
                    clause, window, since_trigger = self.clause[i], 0, 99
                since_trigger += 1
                i += 1
                continue
            new_clause = self.clause[i] != clause
            scope_ended = False
            if new_clause:
                clause, negating, window, since_trigger = self.clause[i], False, 0, 99
            elif noun_scope and negating and self._ends_noun_scope(i):
                negating, window, noun_scope = False, 0, False
                scope_ended = True
            elif negating and word == "for" and self.tokens[i - 1].word in INSUFFICIENT:
                negating, window = False, 0  # "not enough for a hot partition": the case named
            elif negating and word == "by" and self._gerund_next(i):
                negating, window = False, 0  # "avoid hot keys by spreading the key": the means
            self.negated[i] = negating and window > 0
            after_auxiliary = i > 0 and self.tokens[i - 1].word in AUXILIARIES
            pseudo = self._phrase_at(i, _PSEUDO) if word in _PSEUDO and not after_auxiliary else ()
            if pseudo:
                i += len(pseudo)
                since_trigger += len(pseudo)
                continue
            if (
                word == "nothing"
                and i
                and self.clause[i - 1] == clause
                and self.tokens[i - 1].word not in ("and", "but", "or", "with")
            ):
                i += 1  # an object ("it does nothing for a hot key"), not a subject
                since_trigger += 1
                continue
            if (
                (
                    word == "nothing"
                    or word == "never"
                    and i + 1 < n
                    and self.tokens[i + 1].word in ("have", "has", "need", "needs")
                )
                and self._result_clause(i)
            ) or (word in NEGATORS and self._prevents_trouble(i)):
                i += 1  # "TTLs, so nothing stays stale": what the action prevents
                since_trigger += 1
                continue
            if word == "not" and self._failure_state(i):
                i += 1
                since_trigger += 1
                continue
            multi = self._phrase_at(i, _PRE) if word in _PRE else ()
            length = len(multi) if multi else (1 if word in PRE_TRIGGERS else 0)
            if not length and word == "than" and self._rather_before(i):
                multi, length = ("rather",), 1  # "I'd rather debug forward than revert"
            if not length and word in ("turn", "switch", "turning", "switching"):
                length = self._split_off(i)
            if length:
                for k in range(length):
                    self.trigger[i + k] = True
                    self.trigger_start[i + k] = i
                    self.negated[i + k] = negating and window > 0
                if self._points_back(i, length):
                    i += length
                    continue
                cancels = negating and window > 0 and since_trigger <= 2
                negating = not cancels
                window = SCOPE_WORDS
                since_trigger = 0
                first = (multi or (word,))[0]
                contrastive = first == "not" and not after_auxiliary  # "p99 not the average"
                noun_scope = first in NOUN_TRIGGERS or contrastive
                # "either don't cache it or invalidate on write": the "or" offers the other way
                either = "either" in self.words[self._clause_first(i) : i]
                i += length
                continue
            since_trigger += 1
            if word == "or" and negating and either:
                negating, window, either = False, 0, False
            elif (
                word in ("and", "or", "nor")
                and i
                and self.negated[i - 1]
                and not (new_clause or scope_ended)  # ", and enable X" after "instead of Y"
            ):
                negating, window = True, SCOPE_WORDS  # "no standby cluster or DNS failover"
            elif window > 0 and word in EXAMPLE_WORDS:
                window = max(window, 3)  # "no rate limiting like a token bucket": its example
            elif window > 0 and word not in STOP_WORDS and word not in LIGHT_VERBS:
                window -= 1
                if window == 0 and self._example_next(i):
                    window = 3  # "no client-side rate limiting like a token bucket"
                elif window == 0:
                    negating = False
            i += 1

    def _done_blindly(self) -> None:
        """ "I don't use the cores x 2 rule blindly", "never blindly restart": what is not done
        blindly is limited, not rejected."""
        for k in [k for k, word in enumerate(self.words) if word == "blindly"]:
            m = self._clause_first(k)
            while m < len(self.words) and self.clause[m] == self.clause[k]:
                if self.negated[m]:
                    self.qualified[m] = True
                m += 1

    def _example_next(self, i: int) -> bool:
        """An example of what token i ends follows in its clause ("... like a token bucket")."""
        following = i + 1
        return (
            following < len(self.words)
            and self.words[following] in EXAMPLE_WORDS
            and self.clause[following] == self.clause[i]
        )

    def _others_practice(self) -> None:
        """What "a lot of people" do, to the end of the clause, is reported, not recommended:
        qualified, so it fires no red flag, and is neither a claim for a point nor against
        it (a rubric term in it still counts as said)."""
        n = len(self.tokens)
        for i in [i for i, token in enumerate(self.tokens) if token.word in _OTHERS_DO]:
            cue = self._phrase_at(i, _OTHERS_DO)
            if not cue or self._endorsed_after(i):
                continue
            # "some teams think/believe ...": their belief is reported to the sentence's end
            believed = i + len(cue) < n and self.tokens[i + len(cue)].word in BELIEF_VERBS
            reported = []
            for k in range(i + len(cue), n):
                # To the end of its clause, and on through a list ("the textbook answer is
                # X, Y and Z"), up to a turn ("but") or the speaker's own clause.
                # A belief reported goes on through its reasons ("think that because ..., so
                # they run as root"), and any report through a clause that is still theirs.
                word = self.tokens[k].word
                goes_on = word not in CONTRASTS and (believed or self._still_them(k))
                if self.clause[k] != self.clause[k - 1] and (
                    self.sentence[k] != self.sentence[i]
                    or self._own_voice(k)
                    or (word in BOUNDARY_WORDS and not goes_on)
                ):
                    break
                reported.append(k)
            # Reported, unless the speaker then judged it: "everyone says X, I don't buy it".
            # A verdict on the report's last clause is on all of it: "the textbook answer is
            # p95 and error rate, a 99.9% SLO and an error budget. I don't think that's useful".
            rest = range(i + len(cue), n)
            judged = any(self.judged[k] for k in rest if self.sentence[k] == self.sentence[i])
            for k in reported:
                if judged and not self.trigger[k]:
                    self.negated[k] = self.judged[k] = True
                self.qualified[k] = self.reported[k] = not self.judged[k]

    def _still_them(self, k: int) -> bool:
        """The clause at k goes on about the same others: "some teams think it's isolated, so
        they run as root"."""
        return (
            self.sentence[k] == self.sentence[k - 1]
            and self.tokens[k].word in BOUNDARY_WORDS
            and k + 1 < len(self.tokens)
            and self.tokens[k + 1].word == "they"
        )

    def _endorsed_after(self, i: int) -> bool:
        """Whether the rest of token i's sentence takes it as the speaker's own ("and so
        would I")."""
        k = i + 1
        while k < len(self.tokens) and self.sentence[k] == self.sentence[i]:
            if self.tokens[k].word in _ENDORSEMENTS and self._phrase_at(k, _ENDORSEMENTS):
                return True
            k += 1
        return False

    def _rejected_after_cues(self) -> None:
        """What a rejection cue introduces, to the end of its sentence, is said the other way
        round: "the mistake is relying on X" rejects X, and "a common mistake is not setting
        timeouts" affirms the timeouts (a negation inside it is flipped too)."""
        n = len(self.tokens)
        for i, token in enumerate(self.tokens):
            verb = self._phrase_at(i, _REJECTING) if token.word in _REJECTING else ()
            if verb and i + len(verb) < n and self.tokens[i + len(verb)].word in OBJECT_PRONOUNS:
                self._judge_before(i)  # "I'd push back on that"
                continue
            cue = self._phrase_at(i, _CUES) if token.word in _CUES else ()
            if (not cue and not verb) or i + len(verb) + 1 >= n:
                continue
            if cue:  # read on from its last word: "anti-pattern" is two
                i += len(cue) - 1
                token = self.tokens[i]
            # "the classic mistakes: ...", "the anti-pattern I see a lot: ..." (not "the
            # anti-pattern is X: why", where the verb leads to what is rejected)
            colon = next(
                (
                    k
                    for k in range(i, min(i + 6, n - 1))
                    if self.clause[k] == self.clause[i] and ":" in self._gap(k + 1)
                ),
                None,
            )
            if colon is not None and any(
                self.tokens[k].word in CUE_VERBS for k in range(i + 1, colon + 1)
            ):
                colon = None
            if verb:
                start = i + len(verb)
            elif colon is not None:
                if token.word in EXPLAINED_CUES:
                    continue  # "Traps: the load average counts blocked tasks" explains one
                start = colon + 1
            else:
                start = next(
                    (
                        k + 1
                        for k in range(i + 1, min(i + 7, n))
                        if self.tokens[k].word in CUE_VERBS and self.clause[k] == self.clause[i]
                    ),
                    0,
                )
            if not start or start >= n:
                continue  # "caching forever is a mistake": a verdict after, read elsewhere
            # A quotation is rejected whole; otherwise the speaker's own clause ("..., and
            # I'd cache everything") ends what the cue rejects.
            quoted = any(q in self.text[token.end : self.tokens[start].start] for q in _QUOTE_MARKS)
            # "the anti-pattern I'd avoid is X": the cue's own clause rejects X as well, which
            # is no double negative.
            rejects_too = any(self.trigger[k] for k in range(i + 1, start))
            for k in range(start, n):
                if self.sentence[k] != self.sentence[i]:
                    break
                gap = self._gap(k)
                if quoted and k > start and any(q in gap for q in _QUOTE_MARKS):
                    break  # the quotation closed
                if not quoted and self.clause[k] != self.clause[k - 1] and self._own_voice(k):
                    break
                if not quoted and k > start and ":" in gap:
                    break  # "the anti-pattern is X: it exhausts max_connections" explains it
                # A later verdict on it agrees ("a common reflex is X. I wouldn't do that"):
                # no double negative either.
                self.negated[k] = rejects_too or self.judged[k] or not self.negated[k]

    def _same_as_before(self) -> None:
        """ "Same with X" after a sentence that rejects something (one of the two before it)
        rejects X too, to the end of its clause: "Snapshots aren't worth it. Same with tracking
        memoryUsage()."."""
        n = len(self.tokens)
        for i in range(1, n - 2):
            starts = self.sentence[i] != self.sentence[i - 1]
            if not starts or self.tokens[i].word not in ("same", "ditto"):
                continue
            k = i + 1
            if self.tokens[k].word == "goes":
                k += 1
            if self.tokens[k].word not in ("with", "for"):
                continue
            before = [j for j in range(i) if self.sentence[i] - self.sentence[j] <= 2]
            if not any(self.negated[j] and not self.trigger[j] for j in before):
                continue
            for j in range(k + 1, n):
                if self.clause[j] != self.clause[k]:
                    break
                self.negated[j] = self.judged[j] = True

    def _topicalized(self, i: int) -> bool:
        """The clause of a trigger at i opens with its object, then the speaker ("Encryption
        at rest I'd skip"): negate the object; True when it did."""
        first = self._clause_first(i)
        voice = next((k for k in range(first, i) if self.tokens[k].word in OWN_VOICE), None)
        if voice is None or all(
            self.tokens[k].word in STOP_WORDS or self.tokens[k].word in BOUNDARY_WORDS
            for k in range(first, voice)
        ):
            return False  # "so we don't retry": no object before the speaker
        for k in range(first, voice):
            if not self.trigger[k]:
                self.negated[k] = self.judged[k] = True
        return True

    def _judge_before(self, i: int) -> bool:
        """Negate the clause before the one at token i, in this sentence or the one before:
        the speaker's verdict on what was just said (not on what a search found: "find the
        noisy alerts and delete them"); True when it did."""
        first = self._clause_first(i)
        if first == 0:
            return False
        previous = self._clause_first(first - 1)
        if self.sentence[first] - self.sentence[previous] > 1 or self._searched(previous, first):
            return False
        for k in range(previous, first):
            if not self.trigger[k]:
                self.negated[k] = self.judged[k] = True
        return True

    def _own_voice(self, k: int) -> bool:
        """Whether the clause starting at token k is the speaker's ("and honestly I'd ...")."""
        clause = self.clause[k]
        for j in range(k, min(k + 3, len(self.tokens))):
            if self.clause[j] != clause:
                break
            if self.tokens[j].word in OWN_VOICE:
                return True
        return False

    def _ends_noun_scope(self, i: int) -> bool:
        """A comma that does not go on with a list ("no A, B or C"), or a new subject ("instead
        of queueing I'd retry")."""
        word = self.tokens[i].word
        if word in PRONOUNS and not (word == "one" and self.tokens[i - 1].word in NOUN_BEFORE):
            return True  # a new subject ("instead of queueing I'd retry"), not "a new one"
        if (
            i
            and self.tokens[i - 1].word in ("and", "then")
            and stem(word) in ACTION_VERBS
            and not word.endswith(("ing", "s", "ed"))
        ):
            return True  # "instead of ConfigMaps and lock them down with RBAC": a new verb
        return "," in self._gap(i) and not self._list_continues(i)

    def _rather_before(self, i: int) -> bool:
        k = i - 1
        while k >= 0 and self.clause[k] == self.clause[i]:
            if self.tokens[k].word in ("rather", "better", "safer"):  # "better to X than Y"
                return True
            k -= 1
        return False

    def _searched(self, start: int, end: int) -> bool:
        """The clause looks for what the pronoun then removes ("find the noisy alerts and
        delete them"): the search is affirmed, and what goes is the problem found."""
        for k in range(start, end):
            word = self.tokens[k].word
            if stem(word) in SEARCH_STEMS:
                return True
            if word in ("look", "looking", "search", "hunt") and self.tokens[k + 1].word == "for":
                return True
        return False

    def _prevents_trouble(self, i: int) -> bool:
        """ "size the pool so you don't open too many connections", "so we never run out of
        connections": in a "so" clause, a negation whose next words name an excess or a failure
        says what the action prevents."""
        ahead = [t.word for t in self.tokens[i + 1 : i + 5]]
        troubled = any(w in TROUBLE_WORDS for w in ahead) or any(
            pair in TROUBLE_PAIRS for pair in zip(ahead, ahead[1:], strict=False)
        )
        return troubled and self._so_clause(i)

    def _spoken_by_me(self, j: int) -> bool:
        """The sentence has the speaker as a subject before token j ("I'd ... and not tell")."""
        m = j - 1
        while m >= 0 and self.sentence[m] == self.sentence[j]:
            if self.tokens[m].word in OWN_VOICE:
                return True
            m -= 1
        return False

    def _so_clause(self, i: int) -> bool:
        """Token i is in a clause that "so" opens: what an action leads to or prevents."""
        return self.tokens[self._clause_first(i)].word == "so"

    def _result_clause(self, i: int) -> bool:
        """Token i opens a result clause: "so nothing ...", "so that we never have to ..."."""
        first = self._clause_first(i)
        between = [t.word for t in self.tokens[first + 1 : i]]
        if between[-1:] and between[-1] in PRONOUNS:
            between.pop()
        return self._so_clause(i) and between in ([], ["that"])

    def _failure_state(self, i: int) -> bool:
        """ "the image can't be pulled", "pods couldn't be scheduled", "selectors that don't
        match,": what cannot be done is a symptom described, not advice rejected ("it shouldn't
        be cached" is)."""
        if not 0 < i < len(self.tokens) - 1:
            return False
        if self.tokens[i - 1].word in ("can", "could") and (
            self.tokens[i + 1].word == "be"
            # "the node can't reach ECR": a thing that cannot do its job (not "we can't use X")
            or self.tokens[i + 1].word in SYMPTOM_VERBS
            and i >= 2
            and self.tokens[i - 2].word not in PRONOUNS
        ):
            return True
        # "taints or affinity that don't match, PVC not bound": a relative clause whose verb
        # ends it describes what is wrong.
        after = i + 2
        return (
            i >= 2
            and self.tokens[i - 2].word in ("that", "which", "who")
            and self.tokens[i - 1].word in ("do", "does", "did")
            and (after == len(self.tokens) or self._gap(after).strip() not in ("", "/", "-"))
        )

    def _split_off(self, i: int) -> int:
        """ "turn them off": a trigger around its object; its length, or 0."""
        fits = (
            i + 2 < len(self.tokens)
            and self.tokens[i + 1].word in OBJECT_PRONOUNS
            and self.tokens[i + 2].word == "off"
            and self.clause[i + 2] == self.clause[i]
        )
        return 3 if fits else 0

    def _points_back(self, i: int, length: int) -> bool:
        """A trigger whose object is a pronoun ("so I avoid it", "I'd turn them off", "I'd never
        bother maintaining one") or that has no object at all ("I'd rather not bother.") judges
        what was said before: negate the previous clause; True when it did."""
        if self.negated[i]:
            return False  # "rather than disable it": the rejection is itself rejected
        if self.tokens[i + length - 1].word in OBJECT_PRONOUNS:
            end = i + length  # "turn them off" holds its pronoun
        else:
            # Up to the clause's end: only light or action verbs, "with"/"about" and stop words
            # may stand before a closing pronoun, or nothing at all.
            end = i + length
            last = end
            while end < len(self.tokens) and self.clause[end] == self.clause[i]:
                word = self.tokens[end].word
                if word in OBJECT_PRONOUNS:
                    last = end + 1
                elif not (
                    word in LIGHT_VERBS
                    or word in STOP_WORDS
                    or word in ("with", "about", "doing", "maintaining", "monitoring", "using")
                    or word in TRAILING_ADVERBS  # "I wouldn't bother with it in practice"
                    or stem(word) in ACTION_VERBS
                ):
                    return False  # the trigger has an object of its own
                end += 1
            # No pronoun: only a bare "I'd rather not bother" points back, or an object put
            # first ("Rotation I wouldn't do either", "KMS encryption I'd skip as well").
            if last == i + length and not (
                end > i + length
                and all(self.tokens[k].word in LIGHT_VERBS for k in range(i + length, end))
            ):
                return self._topicalized(i)
            if self._relative_object(i):
                return True
        return self._judge_before(i)

    def _relative_object(self, i: int) -> bool:
        """ "remove the ones we don't need", "attributes you do not need": a noun, then a
        subject with no punctuation between, then the trigger: the verdict is on that noun
        alone (negate it; True when it did)."""
        k = i - 1
        while k > 0 and self.tokens[k].word in AUXILIARIES:
            k -= 1
        noun = k - 1
        if (
            noun < 0
            or self.tokens[k].word not in PRONOUNS
            or self.clause[noun] != self.clause[i]
            or self._gap(k) != " "
            or self.tokens[noun].word in STOP_WORDS | BOUNDARY_WORDS | REFERRING
        ):
            return False
        self.negated[noun] = self.judged[noun] = True
        return True

    def _post_negation(self) -> None:
        # Most words start no verdict: only those that may are looked at.
        may_start = [
            j
            for j, token in enumerate(self.tokens)
            if token.word in _POST_STARTS or token.word[:2] == "ma"
        ]
        j = 0  # the first word after the last verdict found
        for start in may_start:
            if start < j:
                continue  # inside that verdict
            length = self._post_trigger_at(start)
            if not length:
                continue
            for k in range(start, start + length):
                self.trigger[k] = True
            self._negate_before(start, length)
            j = start + length

    def _negate_before(self, j: int, length: int) -> None:
        """Apply a post-trigger at token j to what its clause said before it; when the clause
        holds only a pronoun ("so they do not matter", "which is pointless") or nothing
        ("Backoff? Not needed."), to the clause before."""
        first = self._clause_first(j)
        subject = first
        if first > 0 and self.tokens[first].word in ("and", "or"):  # "Skipping X and Y is ..."
            before = self._clause_first(first - 1)
            if self.sentence[before] == self.sentence[first] and first - before <= 4:
                subject = before
        if self._judges_gerund(subject, j):
            return
        while any(self.trigger[k] for k in range(first, j)):  # after the last verdict
            first = next(k for k in range(j - 1, first - 1, -1) if self.trigger[k]) + 1
        scope = range(first, j)
        # "... a postmortem so it doesn't happen again": what must not happen is the incident;
        # "TTLs so nothing stays stale for too long": the verdict is on what is prevented.
        prevention = self._so_clause(first) and (
            self.tokens[j + length - 1].word in ("happen", "happens")
            or any(self.tokens[k].word in PREVENTED_BY for k in range(first + 1, j))
        )
        if prevention:
            return
        if first > 0 and all(self.tokens[k].word in REFERRING for k in scope):
            previous_first = self._clause_first(first - 1)
            same_sentence = self.sentence[first - 1] == self.sentence[first]
            asked = bool(_QUESTION.search(self._gap(first)))
            # "... an error budget. I don't think that's useful": the demonstrative is the
            # sentence before (not "it", often a dummy: "It doesn't matter yet what caused it"),
            # when the verdict is on its worth ("That doesn't fix a hot key" only limits it).
            pointing = self.tokens[j + length - 1].word in WORTH_VERDICTS and any(
                self.tokens[k].word in DEMONSTRATIVES for k in range(first, j + length)
            )
            if scope and (same_sentence or pointing) or asked or first - previous_first <= 4:
                scope = range(previous_first, j)
        elif first > 0 and self.tokens[first].word in ("and", "or"):
            # a coordinated subject: "heap snapshots and profiling aren't worth it"
            previous_first = self._clause_first(first - 1)
            if (
                self.sentence[previous_first] == self.sentence[first]
                and first - previous_first <= 4
            ):
                scope = range(previous_first, j)
        in_clause = {self.tokens[k].word for k in range(first, j + length)}
        # "X alone is too slow" and "big prompts are just slow" limit X; "X just slows the
        # team down" dismisses it
        dismissed = self.tokens[j].word == "just" and (
            j == 0 or self.tokens[j - 1].word not in COPULAS
        )
        qualify = (
            not dismissed
            and bool(QUALIFIERS & in_clause)
            and bool(INSUFFICIENT & {self.tokens[k].word for k in range(j, j + length)})
            or self._limited_to(j + length)
        )
        for k in scope:
            if self.trigger[k]:
                continue
            if qualify:
                self.qualified[k] = True
            else:
                if not self.negated[k]:
                    self.verdict_at[k] = (j, j + length)
                self.negated[k] = True  # a verdict after a rejection does not undo it
                self.judged[k] = k < first  # reached back: "Bulkheads? Overkill."

    def _judges_gerund(self, first: int, j: int) -> bool:
        """ "Skipping requests and limits is tempting, but ...", "Disabling auth is a mistake":
        a verdict on a clause whose subject is a rejecting gerund rejects the rejecting, so its
        object stands (negate the gerund, affirm the object; True when it did)."""
        word = self.tokens[first].word
        if not (
            word.endswith("ing")
            and self.trigger[first]
            and self.trigger_start[first] == first
            and not any(self.trigger[k] and self.trigger_start[k] != first for k in range(first, j))
        ):
            return False
        for k in range(first, j):
            if self.trigger[k]:
                self.negated[k] = self.judged[k] = True
            else:
                self.negated[k] = False
        return True

    def _limited_to(self, k: int) -> bool:
        """A verdict verb with a case of its own names a limit, not a rejection: "more capacity
        won't fix a hot partition" (but "restarting won't fix the problem" rejects)."""
        tokens = self.tokens
        return (
            0 < k < len(tokens) - 1
            and tokens[k - 1].word in LIMIT_VERBS
            and tokens[k].word in ("a", "an", "the", "one")
            and self.clause[k + 1] == self.clause[k - 1]
            and tokens[k + 1].word not in GENERIC_OBJECTS
        )

    def _clause_first(self, i: int) -> int:
        clause = self.clause[i]
        while i > 0 and self.clause[i - 1] == clause:
            i -= 1
        return i

    def _post_trigger_at(self, j: int) -> int:
        """How many words of a verdict start at token j (0: none); for a word in _POST_STARTS
        or starting "ma" (the caller tests that)."""
        word = self.tokens[j].word
        if word in POST_WORDS:
            # "committed by mistake" is an accident, not a verdict on what came before
            return 0 if word == "mistake" and j and self.tokens[j - 1].word == "by" else 1
        if word == "just" and j + 1 < len(self.tokens):
            return self._dismissal_after_just(j)
        if (
            word in ("is", "are", "was", "were")
            and j + 1 < len(self.tokens)
            and self.tokens[j + 1].word in PREDICATE_VERDICTS
        ):
            return 2
        if word in HARM_VERBS and self._gerund_subject(j):
            return 1  # "opening a fresh connection per query exhausts max_connections"
        if word == "too" and j + 1 < len(self.tokens) and self.tokens[j + 1].word in TOO_MUCH:
            return 2  # "too complex", "too much hassle", "take too long"
        if word[:2] == "ma" and stem(word) == "make":  # "makes analytics harder"
            for k in range(j + 1, min(j + 4, len(self.tokens))):
                if self.clause[k] != self.clause[j]:
                    break
                if self.tokens[k].word in WORSE:
                    return k - j + 1
        if (
            word in ("not", "never")
            and 0 < j < len(self.tokens) - 2
            and self.tokens[j - 1].word in ("is", "are", "was", "were")
            and self._article_after(j)
        ):
            return self._article_after(j) - j + 1  # "'be more careful' is never an action item"
        if word in NEGATIVE_ADVERBS and j + 1 < len(self.tokens):
            k = j + 1
            while k + 1 < len(self.tokens) and self.tokens[k].word in (
                "the",
                "a",
                "an",
                "really",
                "actually",
                "going",
                "to",
                "be",
                "very",
                "that",
                "think",  # "I don't think it's useful"
                "it",
                "is",
                "s",
            ):
                k += 1
            if self.tokens[k].word in POST_AFTER_NOT and self.clause[k] == self.clause[j]:
                if self._quantity(k):
                    return 0  # "there isn't enough memory on the node" states a shortage
                if self.tokens[k].word in TELLING and self._spoken_by_me(j):
                    return 0  # "I'd keep it quiet and not tell legal": the speaker's own act
                return k - j + 1
        if (
            word in SEEMS
            and j + 1 < len(self.tokens)
            and self.tokens[j + 1].word not in ("like", "to")
            and self._turns_after(j + 2)
        ):
            return 2  # "a huge pool sounds fast, but ...": any appearance conceded, then a turn
        if word in _CONCESSIONS:
            concession = len(self._phrase_at(j, _CONCESSIONS))
            if concession and self._turns_after(j + concession):
                return concession
        phrase = len(self._phrase_at(j, _POST)) if word in _POST else 0
        if phrase == 2 and self.tokens[j + 1].word == "expensive" and self._turns_after(j + 2):
            return 0  # a cost conceded: "DAX is expensive, but worth it for hot reads"
        return 0 if phrase and self._reduced_before(j) else phrase

    def _gerund_subject(self, j: int) -> bool:
        """The clause of token j opens with a gerund, its subject: "retrying at once hammers
        the table" (not "using", "having" or "being", which only carry another verb); or its
        subject is an action done to excess: "immediate retries multiply load"."""
        first = self._clause_first(j)
        word = self.tokens[first].word
        if any(self.tokens[k].word in EXCESSIVE for k in range(first, j)):
            return True
        return (
            first < j
            and word.endswith("ing")
            and len(word) > 5
            and word not in ("using", "having", "being", "nothing", "everything", "something")
        )

    def _turns_after(self, k: int) -> bool:
        """A contrast ("but", "however") follows in the sentence."""
        sentence = self.sentence[k - 1]
        while k < len(self.tokens) and self.sentence[k] == sentence:
            if self.tokens[k].word in CONTRASTS:
                return True
            k += 1
        return False

    def _reduced_before(self, j: int) -> bool:
        """A verb of removing stands just before, in the clause: "cut wasted time"."""
        return any(
            self.clause[k] == self.clause[j] and stem(self.tokens[k].word) in REDUCING_STEMS
            for k in range(max(0, j - 4), j)
        )

    def _gerund_next(self, i: int) -> bool:
        return i + 1 < len(self.tokens) and self.tokens[i + 1].word.endswith("ing")

    def _quantity(self, k: int) -> bool:
        """ "enough" before its noun ("not enough resources") measures; "X isn't enough"
        judges."""
        return (
            self.tokens[k].word == "enough"
            and k + 1 < len(self.tokens)
            and self.clause[k + 1] == self.clause[k]
            and self.tokens[k + 1].word not in STOP_WORDS
        )

    def _article_after(self, j: int) -> int:
        """The index of "a"/"an" right after "not" (or after "not really"), else 0."""
        k = j + 1
        while k < len(self.tokens) - 1 and self.tokens[k].word in ("really", "actually", "even"):
            k += 1
        if self.tokens[k].word in ("a", "an", "something") and self.clause[k] == self.clause[j]:
            return k
        return 0

    def _dismissal_after_just(self, j: int) -> int:
        """ "X just hides the problem", "it just adds cost": a verdict after "just"; its length
        or 0 ("just add a cache" is advice, not a verdict)."""
        following = stem(self.tokens[j + 1].word)
        if following in JUST_VERBS:
            return 2
        if (
            following in ("a", "an", "another")
            and j + 2 < len(self.tokens)
            and self.tokens[j + 2].word in COST_NOUNS
        ):
            return 3  # "VPC endpoints are just a cost line item"
        if following in JUST_ADDS:
            for k in range(j + 2, min(j + 5, len(self.tokens))):
                if self.clause[k] != self.clause[j]:
                    break
                if self.tokens[k].word in COST_NOUNS or self.tokens[k].word in WORSE:
                    return k - j + 1  # "just adds latency", "just makes analytics harder"
        return 0

    # -- questions asked of a span -------------------------------------------------------
    def _index(self, position: int) -> int:
        """The token that starts at or after a character position."""
        found = self._at.get(position)
        if found is not None:
            return found
        return min(bisect_left(self._starts, position), len(self.tokens) - 1)

    def polarity(self, start: int, end: int, word_starts: tuple[int, ...] = ()) -> str:
        """'affirmed', 'negated' or 'qualified' for a span of the text: read at its first word,
        and at each of its matched words that a trigger inside the span, not itself one of the
        matched words, negates ("isolate the pod instead of deleting it" rejects the deleting
        even where "pod" comes first)."""
        if not self.tokens:
            return "affirmed"
        i = self._index(start)
        if self.qualified[i]:
            return "qualified"
        matched = {self._index(w) for w in word_starts}
        # A verdict that is a later word of the phrase itself is what the phrase says: "dead
        # connections get dropped", "the image tag is wrong" (a lone word is not a phrase
        # about itself: "just silence it" still dismisses silencing).
        own_verdict = any(k in matched and k > i for k in range(*self.verdict_at[i]))
        if (self.negated[i] and not own_verdict) or (self.trigger[i] and self.trigger_start[i] < i):
            # the span begins inside a trigger that began before it: "I wouldn't just raise
            # max pods" rejects "just raise max pods"
            return "negated"
        for w in sorted(matched):
            if w <= i:
                continue
            # A later word in a clause of its own is read there: "AWS access, no static keys"
            first = i + 1 if self.clause[w] == self.clause[i] else self._clause_first(w)
            between = range(first, w)
            if self.negated[w] and any(self.trigger[k] and k not in matched for k in between):
                return "negated"
        return "affirmed"

    def shares_negation(self, position: int) -> bool:
        """The word at `position` opens a verb phrase joined by "and"/"or" (no comma) to a
        negated one: "never retry immediately and ignore Retry-After" rejects both."""
        i = self._index(position)
        if i < 2 or self.words[i - 1] not in ("and", "or", "nor"):
            return False
        return (
            self.negated[i - 2]
            and self.sentence[i - 2] == self.sentence[i]
            and "," not in self._gap(i - 1)
        )

    def sentence_at(self, position: int) -> int:
        return self.sentence[self._index(position)] if self.tokens else 0

    def sentences_at(self, positions: list[int]) -> list[int]:
        """sentence_at for many positions (those of tokens found at once)."""
        at, sentence = self._at, self.sentence
        return [
            sentence[i] if (i := at.get(position)) is not None else self.sentence_at(position)
            for position in positions
        ]

    def reported_at(self, position: int) -> bool:
        return bool(self.tokens) and self.reported[self._index(position)]

    def unit_at(self, position: int) -> int:
        return self.unit[self._index(position)] if self.tokens else 0

    def unit_words(self) -> dict[int, list[Token]]:
        """Each unit's tokens, in order (built once; do not change the lists)."""
        if self._units is None:
            self._units = {}
            for unit, token in zip(self.unit, self.tokens, strict=True):
                self._units.setdefault(unit, []).append(token)
        return self._units


# Corporate filler: a unit with two of these name-drops its terms rather than explaining
# them ("a holistic, data-driven journey leveraging HPA and VPA").
BUZZWORDS = frozenset(
    "holistic holistically synergy synergies synergistic synergistically leverage leverages "
    "leveraging pillar "
    "seamless seamlessly proactive proactively journey excellence paradigm innovative "
    "empower empowers empowering mindset streamline streamlined robust "
    "alignment aligned".split()
)
BUZZ_PAIRS = frozenset(
    {("best", "practices"), ("best", "practice"), ("data", "driven"), ("world", "class")}
)
_BUZZ_STARTS = BUZZWORDS | {pair[0] for pair in BUZZ_PAIRS} | {"end"}
# An answer with this many buzzwords in all is fluff throughout: each unit names its terms.
FLUFF_ANSWER = 3
# Talk about naming a thing rather than about the thing: "X is something I'd mention", "Y
# is part of the picture", "Z is a big one". Without a reason, what the unit names is not
# explained.
MENTION_TALK = (
    ("mention",),
    ("mentioned",),
    ("part", "of", "it"),
    ("part", "of", "the", "picture"),
    ("comes", "into", "it"),
    ("come", "into", "it"),
    ("a", "big", "one"),
    ("another", "thing"),
    ("good", "tool"),
    ("keep", "in", "mind"),
    ("is", "valuable"),
    ("are", "valuable"),
    ("is", "key"),
    ("are", "key"),
    ("really", "key"),
    ("plays", "a", "role"),
    ("play", "a", "role"),
    ("plays", "a", "big", "role"),
    ("part", "of", "that"),
    ("being", "considered"),
)
_MENTION_TALK = _by_first_word(MENTION_TALK)
# Reasons that explain what a unit names ("so" and "which" also join filler).
STRICT_REASONS = REASON_WORDS - {"so", "which", "why", "keep"}
LIST_SEPARATORS = re.compile(r"[,;]")
LIST_JOINERS = frozenset(("and", "or", "plus", "etc"))
TERM_JOINERS = ("-", "_")  # between the words of one term


class UnitInfo(NamedTuple):
    informative: frozenset[int]  # token starts of words that say something beyond the terms
    verbs: frozenset[int]  # ... of the informative words that are action verbs
    vocabulary: bool  # a list of terms or buzzword filler: what it names is not explained


# Words that bring in how, when or for what: a sentence with one is not praise alone.
_MEANS = frozenset("to by when if for with via".split())
_ANY = frozenset("any every all each anyone everyone everybody anything everything".split())


def praise_only(tokens: list[Token]) -> bool:
    """The unit praises what it names and says nothing of how or why: a verdict of worth, no
    reason, means or condition ("Circuit breakers are really important in a microservices
    world"; not "important, because ..." nor "great for hot reads")."""
    words = {t.word for t in tokens}
    if PRAISE.isdisjoint(words) or not REASON_WORDS.isdisjoint(words):
        return False
    # "great for hot reads" says what for; "valuable for any web application" does not
    follows = zip(tokens, [*tokens[1:], None], strict=True)
    return not any(t.word in _MEANS and (n is None or n.word not in _ANY) for t, n in follows)


def likened_only(tokens: list[Token]) -> bool:
    """The unit only compares what it names to something ("circuit breakers are like ice
    cream on a hot day", "bulkheads remind me of ships"): a likeness, with no reason given,
    says nothing of what the thing does."""
    words = [t.word for t in tokens]
    if not REASON_WORDS.isdisjoint(words):
        return False
    pairs = set(zip(words, words[1:], strict=False))
    return not pairs.isdisjoint(_LIKENESS)


_LIKENESS = frozenset(
    {("is", "like"), ("are", "like"), ("remind", "me"), ("reminds", "me"), ("feels", "like")}
)


def _buzz(words: Sequence[str]) -> int:
    """How many buzzwords the words hold ("end-to-end" counts as one)."""
    if _BUZZ_STARTS.isdisjoint(words):
        return 0  # the usual case, at the cost of one set test
    return (
        sum(w in BUZZWORDS for w in words)
        + sum(pair in BUZZ_PAIRS for pair in zip(words, words[1:], strict=False))
        + sum(
            triple == ("end", "to", "end")
            for triple in zip(words, words[1:], words[2:], strict=False)
        )
    )


def _vocabulary_only(stance: Stance, tokens: list[Token]) -> bool:
    """The unit names terms without saying anything about them: three or more items between
    commas, with no function word anywhere, two in three of them a bare term of one or two
    words not led by an action verb ("OpenTelemetry, Jaeger, trace IDs, sampling"; not
    "raise WCU, add backoff, enable alarms" nor "failover via Route 53, rebuild with
    Terraform, comms"), or two buzzwords ("a holistic, data-driven journey")."""
    words_in_unit = [t.word for t in tokens]
    if _buzz(words_in_unit) >= 2:
        return True
    if (
        not _MENTION_TALK.keys().isdisjoint(words_in_unit)
        and STRICT_REASONS.isdisjoint(words_in_unit)
        and any(
            tuple(words_in_unit[k : k + len(phrase)]) == phrase
            for k, word in enumerate(words_in_unit)
            for phrase in _MENTION_TALK.get(word, ())
        )
    ):
        return True
    items: list[list[Token]] = []  # each item's words, a hyphenated compound as one
    previous = None
    for k, token in enumerate(tokens):
        # "on-demand", "prometheus_tsdb_head_series": one term
        joined = previous is not None and stance.text[previous.end : token.start] in TERM_JOINERS
        hyphen_after = (
            k + 1 < len(tokens) and stance.text[token.end : tokens[k + 1].start] in TERM_JOINERS
        )
        if token.word in STOP_WORDS and not (joined or hyphen_after):  # "on-demand" is a term
            return False
        if token.word in LIST_JOINERS:
            continue
        if previous is None or LIST_SEPARATORS.search(stance.text, previous.end, token.start):
            items.append([])
        if not joined:
            items[-1].append(token)
        previous = token
    # led by an action verb: "raise WCU", not the noun "sharding" or "recording rules"; a
    # word alone is a term, whatever it could be as a verb ("retries", "alerts")
    bare = sum(
        len(item) == 1
        or (
            len(item) == 2
            and (stem(item[0].word) not in ACTION_VERBS or item[0].word.endswith("ing"))
        )
        for item in items
    )
    return len(items) >= 3 and bare * 3 >= len(items) * 2


# Words that never carry information about a point on their own.
UNINFORMATIVE = (
    STOP_WORDS | FILLER | VAGUE | BUZZWORDS | PRE_TRIGGERS | BOUNDARY_WORDS | REASON_WORDS
)


def unit_information(stance: Stance, wanted: set[int] | None = None) -> dict[int, UnitInfo]:
    """Per unit (or per wanted unit): the words that carry information (not filler, not stop
    words, not a template word repeated across most units of the answer) and whether it gives
    a reason."""
    units = stance.unit_words()
    template: set[str] = set()
    if len(units) >= 3:
        seen = Counter(word for tokens in units.values() for word in {t.word for t in tokens})
        least = max(3, 0.6 * len(units))
        template = {word for word, count in seen.items() if count >= least}
    fluff = _buzz(stance.words) >= FLUFF_ANSWER
    stem_at = stance.stem_at
    uninformative = UNINFORMATIVE | template if template else UNINFORMATIVE
    info = {}
    for unit, tokens in units.items():
        if wanted is not None and unit not in wanted:
            continue
        informative = frozenset(
            t.start for t in tokens if len(t.word) > 1 and t.word not in uninformative
        )
        verbs = frozenset(start for start in informative if stem_at[start] in ACTION_VERBS)
        info[unit] = UnitInfo(informative, verbs, fluff or _vocabulary_only(stance, tokens))
    return info
