"""One rehearsal: engine + tone scorer + persona + store, with every turn saved the moment it happens."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import partial
from typing import Callable

from nextround import engine
from nextround.persona import LineCounters, OfflinePersona, Persona, ReplyRequest, offline_line
from nextround.reading.merge import ModelReading, merge_readings
from nextround.reading.overlap import topic_overlap
from nextround.reading.stances import STANCES
from nextround.reading.types import Reading
from nextround.scenario import Scenario
from nextround.store import Store, TurnRecord
from nextround.tone import ToneResult, score_text

# A turn longer than this is cut before it is scored, stored or sent to a model.
MAX_TURN_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_turn(text: str) -> tuple[str, bool]:
    """Strip control characters and bound the length. Returns (text, was_truncated)."""
    text = _CONTROL.sub(" ", text).strip()
    if len(text) > MAX_TURN_CHARS:
        return text[:MAX_TURN_CHARS].rstrip(), True
    return text, False


@dataclass(frozen=True)
class TurnResult:
    decision: engine.TurnDecision
    reply: str
    truncated: bool
    judge: dict | None = None


Judge = Callable[[str, Scenario, list[tuple[str, str]]], "dict | None"]
Reader = Callable[[str, Scenario, list[tuple[str, str]]], "ModelReading | None"]
_STANCE_OF_FLAG = {s.label: s.id for s in STANCES}


def local_reading(scenario: Scenario, text: str, tone: ToneResult) -> Reading:
    """The local reading of a line, from today's scorer and engine (the engine's own Reading will replace it)."""
    stances = tuple(dict.fromkeys(_STANCE_OF_FLAG[f.category] for f in tone.flags if f.category in _STANCE_OF_FLAG))
    manipulation = engine.is_manipulation(text)
    return Reading(text=text, tone=tone, stances=stances, topics=tuple(engine.topics_asked(scenario, text)),
                   topic_scores=topic_overlap(scenario, text), question="?" in text or engine.is_open_ask(text),
                   sincere=not manipulation, manipulation=manipulation)


class Rehearsal:
    def __init__(self, scenario: Scenario, store: Store, persona: Persona | None = None, *,
                 scorer: Callable[[str], ToneResult] = partial(score_text, in_conversation=True), judge: Judge | None = None,
                 reader: Reader | None = None, judge_mode: str | None = None,
                 provider: str = "offline", model: str | None = None):
        self.scenario = scenario
        self.store = store
        self.persona = persona or OfflinePersona()
        self.scorer = scorer
        self.judge = judge
        self.reader = reader  # the model's reading of each line (model mode)
        self.judge_mode = judge_mode or ("both" if judge is not None else "local")
        self.provider = provider
        self.model = model
        self.state = engine.start(scenario)
        self.counters = LineCounters()
        self.history: list[tuple[str, str]] = []
        self.session_id: int | None = None
        self._seq = 0
        self.finished = False

    # --- lifecycle ---------------------------------------------------------------------------------------------

    def begin(self, on_token: Callable[[str], None] | None = None) -> str:
        self.session_id = self.store.create_session(
            kind=self.scenario.kind, scenario=self.scenario.name, scenario_title=self.scenario.title,
            scenario_json=json.dumps(self.scenario.model_dump(mode="json")),
            counterpart_name=self.scenario.counterpart.name, counterpart_role=self.scenario.counterpart.role,
            provider=self.provider, model=self.model, start_candor=self.state.candor,
            insights_total=len(self.scenario.insights),
        )
        # The opening line comes from the scenario in every mode: it costs nothing and sets the scene.
        opening = self.scenario.lines.opening
        if on_token is not None:
            on_token(opening)
        self._save(TurnRecord(seq=0, role="counterpart", text=opening, reply_kind="opening"))
        self.history.append(("counterpart", opening))
        return opening

    def say(self, raw_text: str, on_token: Callable[[str], None] | None = None,
            on_decision: Callable[[engine.TurnDecision, dict | None, bool], None] | None = None) -> TurnResult:
        """Score and decide the turn, save it, then let the counterpart answer.

        `on_decision(decision, judge, truncated)` runs before the counterpart speaks, so a terminal can show the
        tone badge for the user's line first.
        """
        assert self.session_id is not None, "begin() first"
        text, truncated = clean_turn(raw_text)
        tone = self.scorer(text)
        local = local_reading(self.scenario, text, tone)
        heard = [*self.history, ("user", text)]
        model_reading = self.reader(text, self.scenario, heard) if self.reader is not None else None
        judge_result = self.judge(text, self.scenario, heard) if self.judge is not None else None
        merged = merge_readings(local, model_reading, self.judge_mode,
                                judge_result["score"] if judge_result is not None else None)
        added = tuple(t for t in merged.topics if t not in local.topics)
        decision = engine.decide(self.state, text, merged.tone, model_topics=added)
        engine.apply(self.state, decision)
        tone = merged.tone
        reading = {"local": local.to_dict()}
        if self.reader is not None or self.judge is not None:
            reading["model"] = model_reading.to_dict() if model_reading is not None else None
            reading["merged"] = merged.to_dict()
        # The user's turn is on disk before the counterpart answers, so a failing model loses nothing.
        self._save(TurnRecord(
            seq=0, role="user", text=text, score=tone.score, label=tone.label,
            flags=[f.to_dict() for f in tone.flags], rewrite=tone.rewrite, candor=decision.candor_after,
            unlocked=list(decision.unlocked), reply_kind=decision.reply_kind, judge=judge_result, reading=reading,
        ))
        self.history.append(("user", text))
        if on_decision is not None:
            on_decision(decision, judge_result, truncated)
        reply = self._reply(decision.reply_kind, decision, on_token)
        return TurnResult(decision=decision, reply=reply, truncated=truncated, judge=judge_result)

    def retry(self) -> engine.TurnDecision | None:
        """Take back the last turn so the user can rephrase it before it counts."""
        if self.session_id is None:
            return None
        undone = engine.retract(self.state)
        if undone is None:
            return None
        self.store.supersede_last_exchange(self.session_id)
        self.store.set_candor(self.session_id, self.state.candor)
        # Drop the exchange from the conversation the persona sees.
        while self.history and self.history[-1][0] != "user":
            self.history.pop()
        if self.history:
            self.history.pop()
        return undone

    def hint(self) -> str:
        return engine.hint(self.state)

    def end(self, status: str = "completed", on_token: Callable[[str], None] | None = None,
            closing: bool = True) -> str | None:
        """Close the session. With closing=False (interrupted) no closing line is spoken."""
        if self.finished or self.session_id is None:
            return None
        self.finished = True
        line = None
        if closing:
            line = self._reply("closing", None, on_token)
        self.store.finish_session(self.session_id, status)
        return line

    def abandon(self) -> None:
        """Mark an interrupted session without speaking (Ctrl-C, end of input, a failing model)."""
        if not self.finished and self.session_id is not None:
            self.finished = True
            try:
                self.store.finish_session(self.session_id, "interrupted")
            except Exception:  # noqa: BLE001 - the turns are already saved; the status is a nicety
                pass

    # --- internals ---------------------------------------------------------------------------------------------

    def _reply(self, kind, decision, on_token) -> str:
        line = offline_line(self.scenario, kind, self.state, decision, self.counters)
        unlocked = tuple(self.scenario.insight(i) for i in self.state.unlocked)
        reveal_now: tuple = ()
        if decision is not None and kind == "reveal":
            reveal_now = tuple(self.scenario.insight(i) for i in decision.unlocked)
        elif decision is not None and kind == "more":
            reveal_now = (self.scenario.insight(decision.asked[0]),)
        request = ReplyRequest(
            scenario=self.scenario, kind=kind, candor=self.state.candor, unlocked=unlocked,
            reveal_now=reveal_now, history=tuple(self.history), offline_line=line, decision=decision,
        )
        reply = self.persona.reply(request, on_token)
        self._save(TurnRecord(seq=0, role="counterpart", text=reply, reply_kind=kind))
        self.history.append(("counterpart", reply))
        usage = getattr(self.persona, "pop_usage", None)
        if usage is not None:
            prompt_tokens, completion_tokens = usage()
            if prompt_tokens or completion_tokens:
                self.store.add_usage(self.session_id, prompt_tokens, completion_tokens)
        return reply

    def _save(self, turn: TurnRecord) -> None:
        turn.seq = self._seq
        self._seq += 1
        self.store.add_turn(self.session_id, turn)
