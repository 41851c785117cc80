"""One rehearsal: reader + engine + persona + store, with every turn saved the moment it happens.

In model mode the model also reads each line (topics from the scenario's ids, stances) and may judge its tone;
`nextround.reading.merge` combines that with the local reading under fixed rules before the engine decides: a
model can add a topic the local reader missed but never open an insight on its own, and its judge lowers a score
only with a verdict that explains itself (the verdict is saved with the turn, with whether it counted).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from typing import Callable

from nextround import engine
from nextround.persona import OfflinePersona, Persona, ReplyRequest
from nextround.reading.merge import ModelReading, merge_readings, verdict_problem
from nextround.reading.types import MAX_LINE_CHARS, Reading
from nextround.scenario import Scenario
from nextround.store import Store, TurnRecord

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

#: Reads one user line in the context of the scenario (the local reader by default).
Reader = Callable[[str], Reading]
#: A second opinion on a line's tone from a model: judge(text, scenario, history) -> dict | None.
Judge = Callable[[str, Scenario, list[tuple[str, str]]], "dict | None"]
#: The model's reading of a line: model_reader(text, scenario, history) -> ModelReading | None.
ModelReader = Callable[[str, Scenario, list[tuple[str, str]]], "ModelReading | None"]


def clean_turn(text: str) -> tuple[str, bool]:
    """Strip control characters and bound the length. Returns (text, was_truncated)."""
    text = _CONTROL.sub(" ", text).strip()
    if len(text) > MAX_LINE_CHARS:
        return text[:MAX_LINE_CHARS].rstrip(), True
    return text, False


def local_reader(scenario: Scenario) -> Reader:
    """The offline reader for this scenario (loads the sentence encoder on first use)."""
    from nextround.reading.reader import LocalReader

    return LocalReader(scenario).read


@dataclass(frozen=True)
class TurnResult:
    decision: engine.TurnDecision
    reply: str
    truncated: bool
    judge: dict | None = None


class Rehearsal:
    def __init__(self, scenario: Scenario, store: Store, persona: Persona | None = None, *,
                 reader: Reader | None = None, judge: Judge | None = None, model_reader: ModelReader | None = None,
                 judge_mode: str | None = None, provider: str = "offline", model: str | None = None):
        self.scenario = scenario
        self.store = store
        self.persona = persona or OfflinePersona()
        self._reader = reader
        self.judge = judge
        self.model_reader = model_reader
        self.judge_mode = judge_mode or ("both" if judge is not None else "local")
        self.provider = provider
        self.model = model
        self.state = engine.start(scenario)
        self.history: list[tuple[str, str]] = []
        self.session_id: int | None = None
        self._seq = 0
        self.finished = False
        self._preparing: threading.Thread | None = None
        self._prepare_error: BaseException | None = None

    def prepare_in_background(self) -> None:
        """Build the local reader (sentence encoder, topic index) in a thread, e.g. while the opening line is on
        screen, so the first reply does not wait for it."""
        if self._reader is not None or self._preparing is not None:
            return

        def build() -> None:
            try:
                self._reader = local_reader(self.scenario)
            except BaseException as exc:  # raised again, in the caller's thread, on first use
                self._prepare_error = exc

        self._preparing = threading.Thread(target=build, name="nextround-reader", daemon=True)
        self._preparing.start()

    @property
    def reader(self) -> Reader:
        if self._preparing is not None:
            self._preparing.join()
            self._preparing = None
            if self._prepare_error is not None:
                error, self._prepare_error = self._prepare_error, None
                raise error
        if self._reader is None:
            self._reader = local_reader(self.scenario)
        return self._reader

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
        """Read and decide the line, save it, then let the counterpart answer.

        `on_decision(decision, judge, truncated)` runs before the counterpart speaks, so a terminal can show the
        tone badge for the user's line first.
        """
        assert self.session_id is not None, "begin() first"
        text, truncated = clean_turn(raw_text)
        local = self.reader(text)
        heard = [*self.history, ("user", text)]
        model_reading = self.model_reader(text, self.scenario, heard) if self.model_reader is not None else None
        judge_result = self.judge(text, self.scenario, heard) if self.judge is not None else None
        reading = merge_readings(local, model_reading, self.judge_mode, judge_result)
        if judge_result is not None:
            # The verdict is kept with the turn either way; it counts only when it explains itself.
            problem = verdict_problem(local, model_reading, judge_result) if self.judge_mode != "local" else \
                "the judge mode is local"
            judge_result = {**judge_result, "counted": problem is None,
                            **({"dropped_because": problem} if problem else {})}
        decision = engine.decide_with_model(self.state, local, reading)
        engine.apply(self.state, decision)
        tone = reading.tone
        readings = {"local": local.to_dict()}
        if self.model_reader is not None or self.judge is not None:  # both readings are kept, per turn
            readings["model"] = model_reading.to_dict() if model_reading is not None else None
            readings["merged"] = reading.to_dict()
        # The user's turn is on disk before the counterpart answers, so a failing model loses nothing.
        self._save(TurnRecord(
            seq=0, role="user", text=text, score=tone.score, label=tone.label,
            flags=[f.to_dict() for f in tone.flags], rewrite=tone.rewrite, candor=decision.candor_after,
            unlocked=list(decision.unlocked), reply_kind=decision.move, topics=list(reading.topics),
            judge=judge_result, reading=readings,
        ))
        self.history.append(("user", text))
        if on_decision is not None:
            on_decision(decision, judge_result, truncated)
        reply = self._reply(decision.move, decision.line, decision.topic, on_token, decision=decision)
        return TurnResult(decision=decision, reply=reply, truncated=truncated, judge=judge_result)

    def retry(self) -> engine.TurnDecision | None:
        """Take back the last line so the user can rephrase it before it counts."""
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
            goodbye = engine.close(self.state)
            line = self._reply("closing", goodbye.line, None, on_token, closing_tone=goodbye.tone)
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

    def _reply(self, move, line: str, topic: str | None, on_token, *, decision: engine.TurnDecision | None = None,
               closing_tone=None) -> str:
        scenario = self.scenario
        unlocked = tuple(scenario.insight(i) for i in self.state.unlocked)
        reveal_now: tuple = ()
        if decision is not None and move == "reveal":
            reveal_now = tuple(scenario.insight(i) for i in decision.unlocked)
        elif topic is not None and move in ("deeper", "advise", "exhausted"):
            reveal_now = (scenario.insight(topic),)
        request = ReplyRequest(
            scenario=scenario, move=move, candor=self.state.candor, unlocked=unlocked, reveal_now=reveal_now,
            history=tuple(self.history), offline_line=line, decision=decision, closing_tone=closing_tone,
        )
        reply = self.persona.reply(request, on_token)
        detail: dict = {}
        if decision is not None:
            if decision.options:
                detail["options"] = list(decision.options)
            if decision.ack:
                detail["ack"] = decision.ack
            if decision.layer is not None:
                detail["layer"] = decision.layer
            if decision.volunteered:
                detail["volunteered"] = True
        if closing_tone is not None:
            detail["closing"] = closing_tone
        self._save(TurnRecord(seq=0, role="counterpart", text=reply, reply_kind=move, topic=topic,
                              detail=detail or None))
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
