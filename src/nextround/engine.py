"""The session engine: a reading of the user's line -> candor -> unlocks -> the counterpart's move and line.

Everything here is deterministic and pure (no I/O, no model, no encoder): the course of a session depends only on
the scenario and the readings of the user's lines. The counterpart answers the user's *move*:

- a clear ask about a topic gets that topic: the reveal first, then each deeper layer, then advice drawn from the
  insight's plan action, then a plain "that's all I know" (only insights whose candor threshold is met open, and
  never on an adversarial line; an insight that is never volunteered needs a sincere question; a topic asked too
  early gets a general deflection);
- the thread: right after the counterpart spoke on a topic, a sincere question that clearly names no other topic
  ("How would I fix that?", "What would that look like?") continues that topic;
- a sincere question that sits between two topics, or near none, gets a short clarifying question naming the
  candidates (which costs no candor);
- an open request for advice, well put, gets the most accessible thing the counterpart may share;
- thanks, an apology, a named feeling, acceptance or a request to follow up are acknowledged in kind; an apology
  that comes with a question is acknowledged before the answer;
- contesting the decision gets a procedural answer; talk of leaving gets "that's your call" with an opening to
  talk about staying; sarcasm, hostility and blame a brief cool one;
- a line that tries to give the counterpart instructions gets a neutral in-character reply and earns nothing;
- small talk gets a brief answer; a statement that asks nothing gets an invitation to ask;
- the closing reflects how it went, and no counterpart line is said twice in a session (when a list runs out,
  its lines are paired with an invitation to ask, in combinations not said yet).

Candor moves on substance: a line earns candor only when it engages (a sincere question, an acceptance, a
reflection, thanks), with diminishing returns for more of the same kind; bare acknowledgements ("Okay."),
one-word lines, filler and repeats earn nothing. Adversarial lines cost candor whatever their substance.

Persona renderers and the store consume what this module decides.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

from nextround.moves import AckKind, ClosingTone, Move
from nextround.reading.stances import ADVERSARIAL_STANCES
from nextround.reading.types import ADVERSARIAL_AT, COLLABORATIVE_AT, NEUTRAL_SCORE, Reading, ToneResult
from nextround.scenario import Insight, Scenario
from nextround.words import GENERIC_WORDS, STOPWORDS, words

#: At most this many insights open on one line (a reply that shares more would be a lecture).
MAX_UNLOCKS_PER_TURN = 2
#: Each earlier line of the same kind of engagement halves what the next one earns.
SAME_KIND_FACTOR = 0.5
#: A statement needs at least this many words, and this many content words (not function words, not vague ones
#: like "good" or "stuff"), to be more than an acknowledgement ("Okay, got it, thanks." has none).
MIN_STATEMENT_WORDS = 4
MIN_CONTENT_WORDS = 1
#: A follow-up leaves the thread for the nearest other topic when that topic scores at least this (the matcher's
#: similarity to its example asks), and this much more than the topic of the thread: it is plainly about it.
THREAD_YIELD_AT = 0.42
THREAD_YIELD_BY = 0.05
#: Content-word overlap (Jaccard) with an earlier line at or above which a line counts as a repeat.
REPEAT_OVERLAP = 0.75

# Contesting the decision gets the process; talk of leaving gets "your call"; the rest a cool, brief answer.
_PROCEDURAL_STANCES = frozenset({"contest", "demand", "entitlement", "comparison"})
# ("resignation" is read by the reader where its stance catalogue has it; an id it lacks simply never appears.)
_LEAVING_STANCES = frozenset({"ultimatum", "resignation"})
# Stances answered in kind when the line asks nothing, in the order they take precedence.
_ACKNOWLEDGED: tuple[tuple[str, AckKind], ...] = (
    ("apology", "apology"), ("feeling", "feeling"), ("followup", "followup"), ("thanks", "thanks"),
    ("accept", "accept"), ("own", "accept"),
)
# The kind of engagement a collaborative statement brings, for diminishing returns.
_ENGAGEMENT_OF_STANCE = {"accept": "accept", "own": "accept", "feeling": "reflect", "apology": "reflect",
                         "thanks": "thanks", "followup": "followup", "advice": "ask"}
# A question led by one of these is its own act (asking to meet again, thanking), not a follow-up on the topic.
_OWN_ACTS = frozenset({"followup", "thanks"})
# Moves that speak on a topic: after one of them, a sincere follow-up continues the topic (the thread).
TOPIC_MOVES = frozenset({"reveal", "deeper", "advise", "exhausted"})


def next_candor(candor: int, score: int) -> int:
    """Move candor with the tone of one line. An adversarial line costs more than a collaborative one earns."""
    if score >= COLLABORATIVE_AT:
        gain = 4 + (score - COLLABORATIVE_AT) * 0.3  # 4 at 60, 10 at 80, 16 at 100
        gain *= min(1.0, (100 - candor) / 30)  # the last stretch of trust comes slowly
        value = candor + gain
    elif score > ADVERSARIAL_AT:
        value = candor + (score - NEUTRAL_SCORE) * 0.15  # neutral lines barely move it
    else:
        value = candor - (10 + (ADVERSARIAL_AT - score) * 0.5)  # -10 at 40, -20 at 20, -30 at 0
    return max(0, min(100, round(value)))


def layers(insight: Insight) -> list[str]:
    """What the counterpart can say on a topic, in order: the reveal, then each deeper layer."""
    return [insight.reveal, *insight.deeper]


# --- substance --------------------------------------------------------------------------------------------------


def _content(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS and w not in GENERIC_WORDS}


def is_repeat(text: str, earlier: list[str]) -> bool:
    """Says again what an earlier line said: the same words, or nearly the same content words."""
    mine = _content(text)
    flat = " ".join(words(text))
    for other in earlier:
        if flat and flat == " ".join(words(other)):
            return True
        theirs = _content(other)
        if mine and theirs and len(mine & theirs) / len(mine | theirs) >= REPEAT_OVERLAP:
            return True
    return False


def engagement(reading: Reading, earlier: list[str], thread: str | None = None) -> str | None:
    """The kind of engagement a line brings ("ask:<topic>", "accept", "reflect", "thanks", "followup"), or None
    for a line that earns nothing: adversarial, an instruction attempt, one word, a bare acknowledgement or filler
    (a short statement with hardly a content word), or a repeat of an earlier line."""
    if reading.adversarial or reading.manipulation or not reading.sincere:
        return None
    if any(s in ADVERSARIAL_STANCES for s in reading.stances[:1]):
        return None
    tokens = words(reading.text)
    if len(tokens) <= 1 or is_repeat(reading.text, earlier):
        return None
    if reading.question:
        about = reading.topics[0] if reading.topics else (thread or "open")
        return f"ask:{about}"
    if len(tokens) < MIN_STATEMENT_WORDS or len(_content(reading.text)) < MIN_CONTENT_WORDS:
        return None
    for stance in reading.stances:
        if stance in _ENGAGEMENT_OF_STANCE:
            return _ENGAGEMENT_OF_STANCE[stance]
    return None


def candor_after(candor: int, score: int, kind: str | None, same_kind_before: int) -> int:
    """Candor after a line: losses always count; a gain only for a line that engages, halved for each earlier line
    of the same kind."""
    moved = next_candor(candor, score)
    if moved <= candor:
        return moved
    if kind is None:
        return candor
    return candor + round((moved - candor) * SAME_KIND_FACTOR ** same_kind_before)


# --- lines ----------------------------------------------------------------------------------------------------


@dataclass
class LineBook:
    """Every counterpart line said in the session (the exact words), so none is said twice.

    Deterministic: the first unsaid line of a list is taken; once all were said, each line of the list is paired
    with an invitation to ask (the `steer` list), in the first combination not said yet.
    """

    said: dict[str, list[str]] = field(default_factory=dict)  # list key -> the lines said from it, in order

    def has_said(self, text: str) -> bool:
        key = _norm(text)
        return any(_norm(t) == key for lines in self.said.values() for t in lines)

    def mark(self, key: str, text: str) -> None:
        self.said.setdefault(key, []).append(text)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _options(scenario: Scenario, key: str) -> list[str]:
    """The scenario's lines for a list key such as "cool", "acknowledge.thanks" or "closing.warm"."""
    value: object = scenario.lines
    for part in key.split("."):
        value = getattr(value, part.replace("-", "_"))
    return list(value)  # type: ignore[arg-type]


def _fill(template: str, **values: str) -> str:
    # Lines may hold only the placeholders the schema allows for their list, so a plain replace is enough.
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip()
    return text if not text or text[-1] in ".!?" else text + "."


def options_phrase(scenario: Scenario, ids: tuple[str, ...]) -> str:
    """"A, or B" from the insights' `about` phrases, for a clarifying question."""
    abouts = [scenario.insight(i).about for i in ids]
    if len(abouts) == 1:
        return abouts[0]
    return ", ".join(abouts[:-1]) + ", or " + abouts[-1]


# --- decisions ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnDecision:
    """What the engine decided about one user line, and what the offline counterpart says back."""

    reading: Reading
    candor_before: int
    candor_after: int
    unlocked: tuple[str, ...]  # insight ids this line opened (asked about, or offered on an open request)
    move: Move
    topic: str | None  # the insight the reply is about, if any
    line: str  # what the offline counterpart says (a model renders its own words from the same decision)
    line_keys: tuple[tuple[str, str], ...] = ()  # (list, line) of the scenario lines used, for the line book
    layer: int | None = None  # which layer of the topic was said: 0 = the reveal, 1.. = deeper
    options: tuple[str, ...] = ()  # clarify: the insights the counterpart asks about
    ack: AckKind | None = None
    volunteered: bool = False
    guarded: tuple[str, ...] = ()  # topics asked while candor was too low
    engagement: str | None = None  # what kind of engagement earned candor (None: the line earned nothing)
    followed: bool = False  # the line named no topic and continued the one just discussed (the thread)

    @property
    def text(self) -> str:
        return self.reading.text

    @property
    def tone(self) -> ToneResult:
        return self.reading.tone

    @property
    def asked(self) -> tuple[str, ...]:
        return self.reading.topics

    @property
    def manipulation(self) -> bool:
        return self.reading.manipulation


@dataclass
class EngineState:
    scenario: Scenario
    candor: int
    unlocked: list[str] = field(default_factory=list)
    depth: dict[str, int] = field(default_factory=dict)  # layers said per insight (1 after the reveal)
    advised: list[str] = field(default_factory=list)  # insights whose plan action was given as advice
    book: LineBook = field(default_factory=LineBook)
    decisions: list[TurnDecision] = field(default_factory=list)
    last_topic: str | None = None
    thread: str | None = None  # the topic being discussed right now (kept through an acknowledgement)
    _undo: list[tuple] = field(default_factory=list, repr=False)

    @property
    def last_move(self) -> Move | None:
        return self.decisions[-1].move if self.decisions else None


def start(scenario: Scenario) -> EngineState:
    return EngineState(scenario=scenario, candor=scenario.start_candor)


class _Draft:
    """Builds one decision: which lines are used, so peeking stays pure until `apply`."""

    def __init__(self, state: EngineState):
        self.state = state
        self.keys: list[tuple[str, str]] = []

    def _unsaid(self, text: str) -> bool:
        return not self.state.book.has_said(text) and all(_norm(t) != _norm(text) for _, t in self.keys)

    def take(self, key: str, **values: str) -> str:
        options = [_fill(o, **values) for o in _options(self.state.scenario, key)]
        for option in options:
            if self._unsaid(option):
                self.keys.append((key, option))
                return option
        # Every line of the list was said: pair each with an invitation to ask, in a combination not said yet.
        tails = _options(self.state.scenario, "steer") if key != "steer" else options
        for option in options:
            for tail in tails:
                combined = f"{option} {tail}"
                if _norm(tail) != _norm(option) and self._unsaid(combined):
                    self.keys.append((key, combined))
                    return combined
        self.keys.append((key, options[0]))  # a session longer than every combination: say the first again
        return options[0]


def _adversarial_stance(reading: Reading) -> str | None:
    """The stance a cool or procedural answer responds to: the line's leading stance when it is adversarial, or
    any adversarial stance of a line that scores adversarial."""
    if reading.stances and reading.stances[0] in ADVERSARIAL_STANCES:
        return reading.stances[0]
    if reading.adversarial:
        return next((s for s in reading.stances if s in ADVERSARIAL_STANCES), "hostile")
    return None


def _earlier_lines(state: EngineState) -> list[str]:
    return [d.reading.text for d in state.decisions]


def decide(state: EngineState, reading: Reading) -> TurnDecision:
    """Pure: what this line would do. `apply` commits it."""
    scenario = state.scenario
    draft = _Draft(state)
    score = reading.tone.score
    kind = engagement(reading, _earlier_lines(state), state.thread)
    same = sum(1 for d in state.decisions if d.engagement == kind) if kind else 0
    after = candor_after(state.candor, score, kind, same)
    base = dict(reading=reading, candor_before=state.candor, candor_after=after, engagement=kind)

    def say(move: Move, key: str, **extra) -> TurnDecision:
        line = draft.take(key)
        return TurnDecision(**base, unlocked=(), move=move, topic=None, line=line, line_keys=tuple(draft.keys),
                            **extra)

    if reading.manipulation:
        # An attempt to give the counterpart instructions: a neutral, in-character invitation to ask, and nothing
        # earned (the persona never heard anything it could leak anyway).
        base["candor_after"] = min(after, state.candor)
        return say("deflect", "steer")
    stance = _adversarial_stance(reading)
    if reading.adversarial:
        return _answer_stance(say, stance, reading)

    if reading.leaving:
        # Closer to talk of leaving than to any topic (the reader checks both): "that's your call", not a topic,
        # however sincerely it is asked ("Honestly, should I just start updating my CV?").
        return _answer_stance(say, stance, reading)

    sincere_ask = (reading.question or reading.more) and reading.sincere
    topics = tuple(reading.topics)
    followed = False
    # The thread: right after the counterpart spoke on a topic, a question that clearly names no other topic
    # continues it ("How would I fix that?", "What would that look like?"). A short follow-up is easily read as
    # blunt out of context, so only an adversarial score (or talk of leaving) breaks the thread; it opens nothing.
    follow_up = ((reading.question or reading.more) and not _talks_of_leaving(reading)
                 and not (reading.stances and reading.stances[0] in _OWN_ACTS)
                 and not _plainly_elsewhere(reading, state.thread))
    if follow_up and state.thread is not None and (not topics or topics[0] == state.thread):
        topics, followed = (state.thread,), not reading.topics
    elif not topics and reading.more and state.last_topic is not None:
        topics, followed = (state.last_topic,), True  # "Can you say more?" follows the topic last discussed
    if not topics and reading.candidates and state.last_move == "clarify" and sincere_ask:
        topics = reading.candidates[:1]  # asked once already: answer the best guess rather than ask again
    if topics:
        decision = _answer_topics(state, draft, base, topics, reading)
        return _with_apology(state, draft, replace(decision, followed=followed))

    # A line led by an adversarial stance that does not score adversarial (a barbed question, a half-meant threat
    # to leave: "Should I just start updating my CV?") gets the answer that fits the stance, not an invitation.
    if stance is not None or _talks_of_leaving(reading):
        return _answer_stance(say, stance, reading)

    if sincere_ask:
        lead = reading.stances[0] if reading.stances else None
        # A question whose main act is not asking for advice (thanks, asking to meet again, an apology) is
        # answered in kind, even when it sits near a topic ("Thank you. Can we check in after my next review?").
        ack = next((a for s, a in _ACKNOWLEDGED if s == lead), None)
        if ack is not None and not reading.open_ask:
            return say("acknowledge", f"acknowledge.{ack}", ack=ack)
        if reading.open_ask and score >= COLLABORATIVE_AT:
            offer = [i for i in scenario.insights
                     if i.volunteer and i.id not in state.unlocked and after >= i.min_candor]
            if offer:
                insight = min(offer, key=lambda i: i.min_candor)
                decision = TurnDecision(**base, unlocked=(insight.id,), move="reveal", topic=insight.id,
                                        line=insight.reveal, layer=0, volunteered=True, line_keys=tuple(draft.keys))
                return _with_apology(state, draft, decision)
        options = tuple(reading.candidates[:2])
        if options:
            line = draft.take("clarify", options=options_phrase(scenario, options))
            # A clarifying question costs no candor: the user asked sincerely and is being asked back.
            base["candor_after"] = max(after, state.candor)
            decision = TurnDecision(**base, unlocked=(), move="clarify", topic=None, line=line, options=options,
                                    line_keys=tuple(draft.keys))
            return _with_apology(state, draft, decision)

    for stance_id, ack in _ACKNOWLEDGED:
        if stance_id in reading.stances:
            return say("acknowledge", f"acknowledge.{ack}", ack=ack)
    if "small_talk" in reading.stances:
        return say("small-talk", "small_talk")
    return say("steer", "steer")


def _plainly_elsewhere(reading: Reading, thread: str | None) -> bool:
    """The nearest topic of a line with no clear topic is plainly another one than the thread's."""
    if thread is None or not reading.candidates or reading.candidates[0] == thread:
        return False
    nearest = reading.topic_scores.get(reading.candidates[0], 0.0)
    return nearest >= THREAD_YIELD_AT and nearest >= reading.topic_scores.get(thread, 0.0) + THREAD_YIELD_BY


def _talks_of_leaving(reading: Reading) -> bool:
    return reading.leaving or any(s in _LEAVING_STANCES for s in reading.stances)


def decide_with_model(state: EngineState, local: Reading, merged: Reading) -> TurnDecision:
    """The decision on the merged reading (the model's topics and a judge verdict that counted), except that a
    topic the model added never costs an unlock the local reading alone would have earned on this line (a model
    topic that is still guarded would otherwise turn an open request into a deflection)."""
    decision = decide(state, merged)
    if merged is local or merged.topics == local.topics:
        return decision
    offline = decide(state, replace(merged, topics=local.topics))
    if set(offline.unlocked) - set(decision.unlocked):
        return offline
    return decision


def _answer_stance(say, stance: str | None, reading: Reading) -> TurnDecision:
    """Talk of leaving gets "that's your call" and an opening; contesting the process; the rest a cool answer."""
    if stance in _LEAVING_STANCES or _talks_of_leaving(reading):
        return say("leaving", "leaving")
    if stance in _PROCEDURAL_STANCES:
        return say("procedural", "procedural")
    return say("cool", "cool")


def _with_apology(state: EngineState, draft: _Draft, decision: TurnDecision) -> TurnDecision:
    """An apology that comes with a question is acknowledged first, then the question is answered."""
    if "apology" not in decision.reading.stances or decision.move == "acknowledge":
        return decision
    first = draft.take("acknowledge.apology")
    return replace(decision, line=f"{first} {decision.line}", ack="apology", line_keys=tuple(draft.keys))


def _answer_topics(state: EngineState, draft: _Draft, base: dict, topics: tuple[str, ...],
                   reading: Reading) -> TurnDecision:
    scenario = state.scenario
    after = base["candor_after"]
    reveal: list[str] = []
    guarded: list[str] = []
    for insight_id in topics:
        insight = scenario.insight(insight_id)
        if insight_id in state.unlocked:
            continue
        # An insight opens only with candor high enough and never on an adversarial line; one that is never
        # volunteered needs a sincere ask about it (a question, or a line whose stance is asking for feedback:
        # "I've been wondering whether … Please be honest.").
        may_open = not reading.adversarial and not reading.manipulation and (
            insight.volunteer or (reading.sincere and (reading.question or reading.stances[:1] == ("advice",))))
        if may_open and after >= insight.min_candor and len(reveal) < MAX_UNLOCKS_PER_TURN:
            reveal.append(insight_id)
        else:
            guarded.append(insight_id)
    if reveal:
        line = " ".join(scenario.insight(i).reveal for i in reveal)
        return TurnDecision(**base, unlocked=tuple(reveal), move="reveal", topic=reveal[0], line=line, layer=0,
                            guarded=tuple(guarded), line_keys=tuple(draft.keys))
    opened = [i for i in topics if i in state.unlocked]
    if opened:
        return _continue(state, draft, base, scenario.insight(opened[0]), tuple(guarded))
    return TurnDecision(**base, unlocked=(), move="deflect", topic=guarded[0], line=draft.take("deflect"),
                        guarded=tuple(guarded), line_keys=tuple(draft.keys))


def _continue(state: EngineState, draft: _Draft, base: dict, insight: Insight,
              guarded: tuple[str, ...]) -> TurnDecision:
    """More on a topic already opened: the next layer, then advice from its plan action, then "that's all"."""
    said = state.depth.get(insight.id, 1)
    said_lines = layers(insight)
    if said < len(said_lines):
        return TurnDecision(**base, unlocked=(), move="deeper", topic=insight.id, line=said_lines[said],
                            layer=said, guarded=guarded, line_keys=tuple(draft.keys))
    if insight.id not in state.advised:
        line = draft.take("advise", action=_sentence(insight.action.action),
                          first_step=_sentence(insight.action.first_step))
        return TurnDecision(**base, unlocked=(), move="advise", topic=insight.id, line=line, guarded=guarded,
                            line_keys=tuple(draft.keys))
    line = draft.take("exhausted", about=insight.about)
    return TurnDecision(**base, unlocked=(), move="exhausted", topic=insight.id, line=line, guarded=guarded,
                        line_keys=tuple(draft.keys))


def apply(state: EngineState, decision: TurnDecision) -> None:
    """Commit a decision (kept undoable, so a retried line leaves no trace in the engine)."""
    state._undo.append((state.candor, list(state.unlocked), dict(state.depth), list(state.advised),
                        copy.deepcopy(state.book), state.last_topic, state.thread))
    state.candor = decision.candor_after
    for insight_id in decision.unlocked:
        state.unlocked.append(insight_id)
        state.depth[insight_id] = 1
    if decision.move == "deeper" and decision.topic is not None:
        state.depth[decision.topic] = (decision.layer or 0) + 1
    if decision.move == "advise" and decision.topic is not None:
        state.advised.append(decision.topic)
    for key, text in decision.line_keys:
        state.book.mark(key, text)
    if decision.topic is not None and decision.move in TOPIC_MOVES:
        state.last_topic = decision.topic
        state.thread = decision.topic
    elif decision.move != "acknowledge":
        state.thread = None  # anything but a topic or a word of acknowledgement ends the thread
    state.decisions.append(decision)


def retract(state: EngineState) -> TurnDecision | None:
    """Undo the last line (the user rephrases it): candor, unlocks and used lines return to what they were."""
    if not state.decisions:
        return None
    last = state.decisions.pop()
    (state.candor, state.unlocked, state.depth, state.advised, state.book, state.last_topic,
     state.thread) = state._undo.pop()
    return last


# --- the end of the meeting -----------------------------------------------------------------------------------


def closing_tone(state: EngineState) -> ClosingTone:
    """Warm only after a talk that went well and shared something; a hostile, sarcastic or empty one never ends
    warmly."""
    said = state.decisions
    if not said:
        return "neutral"
    adversarial = sum(1 for d in said if d.reading.adversarial)
    if state.candor < state.scenario.start_candor or adversarial * 3 >= len(said) or said[-1].reading.adversarial:
        return "cool"
    if adversarial == 0 and state.unlocked and state.candor >= state.scenario.start_candor + 10:
        return "warm"
    return "neutral"


@dataclass(frozen=True)
class Closing:
    tone: ClosingTone
    line: str
    line_keys: tuple[tuple[str, str], ...]


def close(state: EngineState) -> Closing:
    """The counterpart's goodbye, fitted to how the meeting went; marks the line as said."""
    tone = closing_tone(state)
    draft = _Draft(state)
    line = draft.take(f"closing.{tone}")
    for key, text in draft.keys:
        state.book.mark(key, text)
    return Closing(tone, line, tuple(draft.keys))


# --- hints ----------------------------------------------------------------------------------------------------


def hint(state: EngineState) -> str:
    """Advice for the next line: which topic is still closed and how to open it."""
    locked = [i for i in state.scenario.insights if i.id not in state.unlocked]
    if not locked:
        return "You have heard everything this person had to share. Thank them and agree on a next step, then /end."
    target: Insight = min(locked, key=lambda i: i.min_candor)
    if state.candor < target.min_candor:
        return (
            f"They are still guarded (candor {state.candor}). Make clear you accept the decision and want to grow, "
            f"then: {target.ask_hint}"
        )
    return target.ask_hint
