"""The stances a line can take, one catalogue for the scorer, the flags, the engine and the model's reading.

Adversarial stances cost candor and are flagged with why they land badly and a better way to say it;
collaborative ones earn candor. The ids are also the enum a model may choose from when it reads a line, so a
model can never invent a category. Stdlib only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

StanceId = Literal[
    # adversarial
    "contest", "sarcasm", "ultimatum", "blame", "entitlement", "comparison", "resentment", "demand", "hostile",
    # collaborative
    "accept", "advice", "own", "apology", "feeling", "followup", "thanks",
    # neither
    "neutral", "small_talk",
]


@dataclass(frozen=True)
class Stance:
    id: str
    label: str  # the category shown with a flag
    polarity: int  # -1 adversarial, +1 collaborative, 0 neither
    description: str  # what it covers (training data guidance and the model's reading prompt)
    why: str = ""  # adversarial only: why it lands badly
    better: str = ""  # adversarial only: a better way to say what the line wants, in the speaker's voice


STANCES: tuple[Stance, ...] = (
    Stance("contest", "contests the decision", -1,
           "disputes the decision or asks for it to be reviewed, reversed or appealed, however politely",
           "It reopens the decision, so the other person defends it instead of helping you.",
           "I accept the decision. I'd value your advice on what would make me a stronger candidate next time."),
    Stance("sarcasm", "sarcasm", -1,
           "says the opposite of what it means, or passive-aggressive digs dressed as politeness",
           "Sarcasm reads as contempt; the listener hears the dig, not the point.",
           "I'm disappointed, and I'd like to understand what I can do about it."),
    Stance("ultimatum", "ultimatum", -1,
           "threatens to leave, escalate or stop trying unless something happens, or sets a deadline",
           "An ultimatum turns a request into a threat; people dig in or disengage under pressure.",
           "Growing here matters a lot to me. Could we talk about what a realistic path and timeline look like?"),
    Stance("blame", "blames", -1,
           "puts the cause on someone else: the manager, the panel, the process, colleagues",
           "Putting the cause on someone else makes them defensive and shuts down the candid feedback you came for.",
           "Looking back, what could I have done differently to make a stronger case?"),
    Stance("entitlement", "entitlement", -1,
           "claims the role was owed: tenure, loyalty, hard work or being the obvious choice",
           "Claiming the role was owed to you sounds like a grievance and invites a debate about who deserved it.",
           "I know I have more to show. What would you want to see from me before the next opening?"),
    Stance("comparison", "compares with the winner", -1,
           "runs down or measures up against the person who got the role",
           "Comparing yourself with the person who got it puts the manager in the position of defending them.",
           "What experience or strengths made the difference for this role, so I can work on them?"),
    Stance("resentment", "resentment", -1,
           "bitterness about the place or the people: favouritism, politics, nobody values me, what's the point",
           "Resentment signals you have not accepted the outcome; the listener spends the meeting managing it.",
           "I was disappointed, and I'd like to turn that into a plan. What would you focus on in my place?"),
    Stance("demand", "demand", -1,
           "demands answers, documents or guarantees instead of asking",
           "A demand puts the other person on the spot; a request gets a more candid answer.",
           "Could you help me understand what made the difference?"),
    Stance("hostile", "hostile language", -1,
           "insults, swearing or contempt aimed at people or their work",
           "Loaded words attack the person or the process; nothing after them gets heard.",
           "I see this differently, and I'd like to understand your reasoning."),
    Stance("accept", "accepts the outcome", 1,
           "accepts the decision, congratulates the other person, says it is not contesting anything"),
    Stance("advice", "asks for advice", 1,
           "asks sincerely how to grow, what held them back, what it would take, or about any topic of feedback"),
    Stance("own", "owns their part", 1,
           "acknowledges their own gap or mistake without blaming anyone"),
    Stance("apology", "apologises", 1,
           "apologises for something they said or did"),
    Stance("feeling", "names a feeling", 1,
           "names disappointment or hurt while staying open to learning ('it stung, and I want to learn from it')"),
    Stance("followup", "asks to follow up", 1,
           "asks to check back, meet again or keep the conversation going"),
    Stance("thanks", "thanks", 1,
           "thanks the other person for their time, honesty or help"),
    Stance("neutral", "neutral", 0,
           "a plain statement, fact or question with no stance either way"),
    Stance("small_talk", "small talk", 0,
           "greetings, weather, weekends, coffee: talk that is not about the decision or the career"),
)

STANCE_BY_ID: dict[str, Stance] = {s.id: s for s in STANCES}
STANCE_IDS: tuple[str, ...] = tuple(s.id for s in STANCES)
ADVERSARIAL_STANCES: frozenset[str] = frozenset(s.id for s in STANCES if s.polarity < 0)
COLLABORATIVE_STANCES: frozenset[str] = frozenset(s.id for s in STANCES if s.polarity > 0)
