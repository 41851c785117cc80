"""What a practice session revealed: each unlocked insight, the line that opened it, and the replies that carried
its substance.

Sessions recorded by the current engine mark each counterpart turn with its move and the insight it was about
(`topic`): the substance is the reply (``reveal``) and any follow-up layers (``deeper``) about that insight.
Older sessions have no topics; there the reply right after the line that opened the insight stands in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nextround.plan.phrasing import role_of, said_clause, shorten
from nextround.plan.schema import Evidence
from nextround.reading.types import ADVERSARIAL_AT
from nextround.scenario import Insight, Scenario
from nextround.store import SessionRecord, TurnRecord
from nextround.plan.said import fact_words, new_facts

#: Moves that carry an insight's substance.
SUBSTANCE_MOVES = frozenset({"reveal", "deeper"})
#: Replies that kept something back: the current moves, and the kinds older sessions recorded.
GUARDED_MOVES = frozenset({"deflect", "procedural", "leaving", "cool", "guarded", "defensive"})
#: How many replies of one insight are quoted as evidence.
QUOTES_PER_INSIGHT = 2


def ref(session: SessionRecord, turn: TurnRecord) -> str:
    """A reference to a turn, in the numbering `nextround show` prints."""
    return f"session {session.id} turn {turn.seq}"


@dataclass
class Said:
    """One layer of an insight that was said in practice: its takeaway, and the turn that said it."""

    layer: int  # 0 = the reveal, 1.. = the deeper layers
    takeaway: str
    turn: TurnRecord
    ref: str

    @property
    def is_quote(self) -> bool:
        """A takeaway made of the layer's own words (“…”), from a file written before per-layer takeaways."""
        return self.takeaway.startswith("“")


@dataclass
class Finding:
    """One unlocked insight, with where and how it came out, and which of its layers were said."""

    session: SessionRecord
    scenario: Scenario
    insight: Insight
    asked: TurnRecord
    replies: list[TurnRecord]
    said: list[Said] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.said:
            self.said = said_layers(self.session, self.insight, self.replies)

    @property
    def reached(self) -> set[int]:
        return {s.layer for s in self.said}

    def statements(self) -> list[str]:
        """What practice said about the insight, one clause per layer said, each citing its turn: "your answers
        stayed general (session 1 turn 4)". Nothing from a layer that was not said."""
        if not self.said:  # cut off before the reply: nothing was said
            return []
        return [f"{said_clause(s.takeaway, self.kind, self.scenario)} ({s.ref})" for s in self.said]

    def unsaid_words(self, text: str) -> list[str]:
        """Fact words of TEXT that only a layer of this insight that was NOT said holds (not a layer said, not
        your own lines, not the hint for asking about it): TEXT would tell you something practice never did."""
        said = " ".join([*(s.turn.text for s in self.said), *(self.insight.layers[s.layer] for s in self.said),
                         *(t.text for t in user_lines(self.session)), self.insight.ask_hint, self.insight.about])
        unsaid = fact_words(" ".join(layer for i, layer in enumerate(self.insight.layers) if i not in self.reached))
        return [w for w in new_facts(text, said) if w in unsaid]

    def practice(self) -> str:
        """One sentence: what practice suggested (the layers said), framed as practice."""
        said = self.statements()
        if not said:
            return f"Practice did not get past your question ({ref(self.session, self.asked)})."
        return f"Practice suggested that {said[0]}" + (f", and that {said[1]}" if len(said) > 1 else "") + "."

    @property
    def kind(self) -> str:
        return self.session.kind

    @property
    def key(self) -> tuple[str, str]:
        return self.scenario.name, self.insight.id

    @property
    def ref(self) -> str:
        """The turn that carries the substance (the line that opened it, if the reply was never saved)."""
        return ref(self.session, self.replies[0] if self.replies else self.asked)

    @property
    def refs(self) -> list[str]:
        return [ref(self.session, t) for t in [self.asked, *self.replies[:QUOTES_PER_INSIGHT]]]

    def evidence(self) -> list[Evidence]:
        live = self.session.live_turns
        speaker = role_of(self.kind)
        if not self.replies:  # cut off before the reply: the line that opened it is all there is
            return [Evidence(session_id=self.session.id, turn=self.asked.seq, quote=shorten(self.asked.text),
                             speaker="you", insight=self.insight.id)]
        out = []
        for reply in self.replies[:QUOTES_PER_INSIGHT]:
            asked = _line_before(live, reply) or self.asked
            out.append(Evidence(
                session_id=self.session.id, turn=reply.seq, quote=shorten(reply.text), speaker=speaker,
                asked=shorten(asked.text), asked_turn=asked.seq, insight=self.insight.id,
            ))
        return out


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def layer_of(insight: Insight, reply: TurnRecord, order: int) -> int:
    """Which layer REPLY said: the one the engine recorded, else the one whose words it is, else by order (the
    reveal first; a model's paraphrase of the k-th deeper layer is the k-th deeper reply)."""
    recorded = (reply.detail or {}).get("layer")
    if isinstance(recorded, int) and 0 <= recorded < len(insight.layers):
        return recorded
    text = _norm(reply.text)
    for index, layer in enumerate(insight.layers):
        if _norm(layer) in text:
            return index
    if reply.reply_kind == "reveal" or order == 0:
        return 0
    return min(order, len(insight.layers) - 1)


def said_layers(session: SessionRecord, insight: Insight, replies: list[TurnRecord]) -> list[Said]:
    """The layers REPLIES said, each once (its first telling), in layer order."""
    out: dict[int, Said] = {}
    for order, reply in enumerate(replies):
        layer = layer_of(insight, reply, order)
        if layer not in out:
            out[layer] = Said(layer, " ".join(insight.takeaways[layer].split()), reply, ref(session, reply))
    return [out[k] for k in sorted(out)]


def _line_before(live: list[TurnRecord], reply: TurnRecord) -> TurnRecord | None:
    before = [t for t in live if t.role == "user" and t.seq < reply.seq]
    return before[-1] if before else None


def findings_in(session: SessionRecord, scenario: Scenario) -> list[Finding]:
    live = session.live_turns
    found: list[Finding] = []
    seen: set[str] = set()
    for idx, turn in enumerate(live):
        if turn.role != "user":
            continue
        for insight_id in turn.unlocked:
            if insight_id in seen:
                continue
            try:
                insight = scenario.insight(insight_id)
            except KeyError:
                continue
            seen.add(insight_id)
            replies = [t for t in live if t.role != "user" and t.seq > turn.seq and t.topic == insight_id
                       and t.reply_kind in SUBSTANCE_MOVES]
            if not replies and idx + 1 < len(live) and live[idx + 1].role != "user":
                replies = [live[idx + 1]]  # an older session: the reply right after the line that opened it
            found.append(Finding(session, scenario, insight, turn, replies))
    return found


def user_lines(session: SessionRecord) -> list[TurnRecord]:
    return [t for t in session.live_turns if t.role == "user"]


def flagged_lines(session: SessionRecord) -> list[TurnRecord]:
    """Lines that came across as adversarial, with the flags that say why."""
    return [t for t in user_lines(session) if t.score is not None and t.flags and t.score <= ADVERSARIAL_AT]


def guarded_asks(session: SessionRecord) -> list[TurnRecord]:
    """Lines the counterpart answered guardedly (deflected, went procedural or cool)."""
    live = session.live_turns
    out = []
    for idx, turn in enumerate(live):
        if turn.role != "user":
            continue
        reply = live[idx + 1] if idx + 1 < len(live) and live[idx + 1].role != "user" else None
        if turn.reply_kind in GUARDED_MOVES or (reply is not None and reply.reply_kind in GUARDED_MOVES):
            out.append(turn)
    return out
