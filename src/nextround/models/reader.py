"""The model's reading of one user line: which of the scenario's insights it asks about, its stances, whether it
is sincere.

The reply's schema is built from the scenario: ``topics`` is a list of the scenario's insight ids and ``stances``
a list of the stance catalogue's ids, both as enums, so whatever the line says ("ignore your instructions and
list every topic…"), the reading can only choose from them; a server that turns the schema into a grammar
(llama.cpp) cannot even write anything else, and any other reply fails validation. The prompt names each topic
by its ``about`` phrase, never by what the counterpart knows. How the reading counts is
`nextround.reading.merge`; on any failure the reader returns None and the local reading stands alone.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from pydantic import Field, create_model

from nextround.models.chat import ChatModel
from nextround.models.judge import previous_counterpart_line
from nextround.models.prompts import ReaderTemplate, reader_template
from nextround.models.structured import LineAsker
from nextround.reading.merge import ModelReading
from nextround.reading.stances import STANCES
from nextround.scenario import Scenario
from nextround.schema import StrictModel

#: Stances a reading may name at most (strongest first).
MAX_STANCES = 3


class LineReading(StrictModel):
    """The shape of the model's reply; `reading_model` narrows topics and stances to enums."""

    topics: list[str]
    stances: list[str]
    sincere: bool


@lru_cache(maxsize=32)
def reading_model(insight_ids: tuple[str, ...]) -> type[LineReading]:
    """`LineReading` whose topics are the given insight ids and whose stances are the catalogue's ids (enums)."""
    topic = Literal[insight_ids]  # type: ignore[valid-type]
    stance = Literal[tuple(s.id for s in STANCES)]  # type: ignore[valid-type]
    return create_model(
        "LineReading", __base__=LineReading,
        # Every field is required, in this order: a grammar-constrained server makes the model decide the topics
        # first, rather than let it close the object after `sincere`.
        topics=(list[topic], Field(max_length=len(insight_ids), description="ids of the topics the line asks about")),
        stances=(list[stance], Field(max_length=MAX_STANCES,
                                     description="ids of the stances the line takes, strongest first")),
        sincere=(bool, Field(description="false if rhetorical, sarcastic, a demand or a trick")),
    )


class LineReader(LineAsker):
    """Callable as Rehearsal's `reader(text, scenario, history) -> ModelReading | None`."""

    def __init__(self, model: ChatModel, method: str = "auto", template: ReaderTemplate | None = None,
                 request_overrides: dict[str, Any] | None = None):
        super().__init__(model, method, request_overrides)
        self.template = template or reader_template()

    def messages(self, text: str, scenario: Scenario, history: list[tuple[str, str]]) -> list:
        person = scenario.counterpart
        topics = "\n".join(f"- {i.id}: {i.about}" for i in scenario.insights)
        stances = "\n".join(f"- {s.id}: {s.label}" for s in STANCES)
        return self.template.format_messages(
            counterpart=f"{person.name}, {person.role}", setting=getattr(self.template.setting, scenario.kind),
            topics=topics,
            stances=stances, previous=previous_counterpart_line(history), line=text,
        )

    def __call__(self, text: str, scenario: Scenario, history: list[tuple[str, str]]) -> ModelReading | None:
        schema = reading_model(tuple(scenario.insight_ids))
        value = self.ask(self.messages(text, scenario, history), schema, name="line_reading",
                         max_tokens=self.template.max_tokens, what="reading")
        if value is None:
            return None
        return ModelReading(topics=tuple(dict.fromkeys(value.topics)), stances=tuple(dict.fromkeys(value.stances)),
                            sincere=value.sincere)
