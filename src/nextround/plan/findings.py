"""What a practice session revealed: each unlocked insight, the line that opened it, and the replies that carried
its substance.

Sessions recorded by the current engine mark each counterpart turn with its move and the insight it was about
(`topic`): the substance is the reply (``reveal``) and any follow-up layers (``deeper``) about that insight.
Older sessions have no topics; there the reply right after the line that opened the insight stands in.
"""

from __future__ import annotations

from dataclasses import dataclass

from nextround.plan.phrasing import role_of, shorten
from nextround.plan.schema import Evidence
from nextround.reading.types import ADVERSARIAL_AT
from nextround.scenario import Insight, Scenario
from nextround.store import SessionRecord, TurnRecord

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
class Finding:
    """One unlocked insight, with where and how it came out."""

    session: SessionRecord
    scenario: Scenario
    insight: Insight
    asked: TurnRecord
    replies: list[TurnRecord]

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
