"""Small scenarios of our own and hand-built session records, for plan tests that need exact content.

The built-in scenarios are examples that get rewritten; these stay put. Records are written straight into the store
(as the engine would write them), so the tests do not depend on how the engine reads lines either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from nextround.scenario import Scenario
from nextround.store import Store, TurnRecord

FEEDBACK_PERSONA = "Morgan Reyes"
CAREER_PERSONA = "Alex Brandt"


def _lines() -> dict:
    return {
        "opening": "Thanks for coming in. I know the news was not what you hoped for. Where shall we start?",
        "acknowledge": {
            "thanks": ["You're welcome.", "Glad it helps."],
            "apology": ["Thank you for saying so.", "Appreciated. Let's carry on."],
            "feeling": ["That's a fair thing to feel.", "I understand; it is disappointing."],
            "accept": ["Thank you for taking it that way.", "That's a good way to look at it."],
            "followup": ["Of course, let's find a time.", "Yes, put something in the diary."],
        },
        "clarify": ["Do you mean {options}?", "Which would help more: {options}?"],
        "deflect": ["I'd rather not go into that right now.", "Let's leave that for another day."],
        "exhausted": ["I've told you what I know about {about}.", "That's all I have on {about}."],
        "procedural": ["The decision stands.", "There is a process for concerns.", "We can talk about next time."],
        "cool": ["Okay.", "I hear you.", "Noted."],
        "small_talk": ["Fine, thanks. Shall we start?", "Not bad. What's on your mind?"],
        "steer": ["What would you like to ask?", "Go ahead, ask me anything.", "What would help most?"],
        "closing": {
            "warm": ["Thanks, this was good.", "Glad we talked."],
            "neutral": ["Let's leave it there.", "Thanks for coming in."],
            "cool": ["Let's stop there.", "We can pick this up later."],
        },
    }


def _examples(topic: str) -> list[str]:
    return [
        f"Could you tell me about {topic}?",
        f"What can you share about {topic}?",
        f"I'd value your view on {topic}, if you're willing to share it.",
        f"How do you see {topic}?",
        f"Is there anything I should know about {topic}?",
        f"What would you say about {topic}?",
        f"Tell me about {topic}.",
        f"why won't you just tell me about {topic}",
    ]


def insight(id: str, *, title: str, about: str, takeaways: list[str], reveal: str, deeper: list[str], informs: list[str],
            area: str, action: str, first_step: str, measure: str, due_days: int, cues: list[str],
            signal: str | None = None, min_candor: int = 40) -> dict:
    return {
        "id": id, "title": title, "about": about, "examples": _examples(about), "cues": cues,
        "min_candor": min_candor, "knows": reveal, "reveal": reveal, "deeper": deeper, "takeaways": takeaways,
        "ask_hint": f"Ask about {about}.", "informs": informs, "signal": signal,
        "action": {"area": area, "action": action, "first_step": first_step, "measure": measure,
                   "due_days": due_days},
    }


def feedback_scenario(name: str = "ops-feedback") -> dict:
    return {
        "name": name, "kind": "feedback", "title": "Feedback on the operations lead role",
        "description": "A practice feedback meeting with the hiring manager.",
        "counterpart": {"name": FEEDBACK_PERSONA, "role": "Head of Operations", "style": "Direct and kind."},
        "lines": _lines(),
        "insights": [
            insight(
                "handover-answers", title="Your handover answers were thin", about="how your interview answers landed",
                takeaways=["Your interview answers about handovers described the process, with no hard handover you "
                           "ran yourself.",
                           "The night-shift question was where one real example would have changed the score."],
                reveal="Since you ask: the handover questions were the weak spot. You described the process, but "
                       "the panel wanted one hard handover you had run yourself.",
                deeper=["If I had to pick one moment, it was the night-shift question. One real example there would "
                        "have changed the score."],
                informs=["why_not_selected"], area="skill",
                action="Write up three handovers you ran, each with what went wrong and what you changed.",
                first_step="Pick the hardest handover of the last quarter and write half a page on it.",
                measure="Three written examples you can tell in two minutes each.", due_days=21,
                cues=["interview", "answers"],
            ),
            insight(
                "winner-scope", title="The person chosen had run a cross-site rollout",
                about="what the person chosen brought",
                takeaways=["The person chosen had already run a rollout across two sites, with people who did not "
                           "report to them.",
                           "It was not about talent: the person chosen had done the cross-site part once already."],
                reveal="What tipped it was scope: they had already run the scanner rollout across two sites, with "
                       "people who did not report to them.",
                deeper=["It was not about talent. It was that they had done the cross-site part once already."],
                informs=["why_not_selected", "what_it_takes"], area="relationships",
                action="Offer to coordinate one piece of work that spans two sites.",
                first_step="List two problems your site shares with another and pick one to coordinate.",
                measure="You coordinate one cross-site piece of work with a named owner at each site.", due_days=40,
                cues=["person chosen", "candidate"],
            ),
            insight(
                "shadow-offer", title="A chance to shadow the budget round", about="a stretch opportunity",
                takeaways=["There may be a chance to take notes in the budget round's planning sessions and see how "
                           "the trade-offs get made.",
                           "If that works out, you might present one line of the budget yourself."],
                reveal="Actually, yes: the budget round starts soon, and I could use someone to take notes in the "
                       "planning sessions. You would see how the trade-offs get made.",
                deeper=["If that works out, I'd also want you to present one line of the budget yourself."],
                informs=["what_it_takes"], area="skill",
                action="Shadow the budget round and write down how the trade-offs were made.",
                first_step=f"Ask {FEEDBACK_PERSONA.split()[0]} which budget meetings you could sit in on.",
                measure="You attended two budget meetings and wrote one page on the trade-offs.", due_days=30,
                cues=["stretch", "opportunit"],
            ),
        ],
    }


def career_scenario(name: str = "ops-career", advocacy_signal: str = "manager-advocates",
                    path_signal: str | None = "path-closed") -> dict:
    return {
        "name": name, "kind": "career", "title": "Career talk with your manager",
        "description": "A practice career conversation with your own manager.",
        "counterpart": {"name": CAREER_PERSONA, "role": "Operations Lead (your manager)", "style": "Warm."},
        "lines": _lines(),
        "insights": [
            insight(
                "no-opening", title="No lead opening for a year", about="your prospects here",
                takeaways=["There is no lead role opening on this team for at least a year; the structure is settled.",
                           "People who moved up recently did it by moving to another site."],
                reveal="Honestly, there is no lead role opening on this team for at least a year; the structure is "
                       "settled.",
                deeper=["People who moved up recently did it by moving to another site."],
                informs=["prospects", "path_here"], signal=path_signal, area="networking",
                action="Meet three leads at other sites to learn what their next openings will need.",
                first_step=f"Ask {CAREER_PERSONA} for two names at other sites.",
                measure="Three conversations held, with notes on what each opening needs.", due_days=45,
                cues=["prospects", "path"],
            ),
            insight(
                "backing", title="Your manager argued for you", about="whether your manager would back you",
                takeaways=["Your manager argued for you on the panel and would do it again next time.",
                           "One more result with your name on it would make it easier next time."],
                reveal="You should know I argued for you on the panel, and I would do it again next time.",
                deeper=["What would make it easier next time is one more result with your name on it."],
                informs=["manager_values"], signal=advocacy_signal, area="relationships",
                action="Agree with your manager on the two results that would make the next case easy.",
                first_step="Book a half-hour follow-up to agree the two results.",
                measure="Two results named, in writing, that your manager would cite.", due_days=30,
                cues=["support", "back me"],
            ),
            insight(
                "depot-move", title="An opening to lead the Q3 depot move", about="taking on more responsibility",
                takeaways=["There is a chance to lead the Q3 depot move, across two sites and three teams, which has "
                           "nobody to lead it yet.",
                           "Leading it would mean owning the plan and the go-live date, and reporting weekly."],
                reveal="Funny you ask: the depot move is planned for Q3 and I have nobody to lead it yet. Two sites, "
                       "three teams.",
                deeper=["You would own the plan and the go-live date, and report to me weekly."],
                informs=["what_it_takes"], area="skill",
                action="Lead the Q3 depot move end to end, from the plan to the go-live.",
                first_step=f"Tell {CAREER_PERSONA.split()[0]} you want to lead it and sketch the plan on one page.",
                measure="The depot move goes live on the date you set.", due_days=20,
                cues=["responsibilit", "take on"],
            ),
        ],
    }


def scenario(data: dict) -> Scenario:
    return Scenario.model_validate(data)


@dataclass
class Exchange:
    """One user line and the counterpart's reply, as the engine would record them."""

    say: str
    reply: str
    score: int = 80
    unlocks: list[str] = field(default_factory=list)
    move: str | None = "acknowledge"
    topic: str | None = None
    flags: list[dict] = field(default_factory=list)
    rewrite: str | None = None
    retry: bool = False  # taken back with /retry right after


def flag(phrase: str, better: str) -> dict:
    return {"phrase": phrase, "start": 0, "end": len(phrase), "category": "contests the decision",
            "why": "It reopens the decision.", "better": better}


def record(store: Store, data: dict, exchanges: list[Exchange], status: str = "completed", *,
           with_topics: bool = True, closing: bool = True) -> int:
    """Write a session as the engine would: the opening (turn 0), each exchange, the closing; returns its id.
    WITH_TOPICS=False writes it as an older engine did (no move topics, the old reply kinds)."""
    sc = scenario(data)
    session_id = store.create_session(
        kind=sc.kind, scenario=sc.name, scenario_title=sc.title, scenario_json=json.dumps(sc.model_dump(mode="json")),
        counterpart_name=sc.counterpart.name, counterpart_role=sc.counterpart.role, provider="offline", model=None,
        start_candor=sc.start_candor, insights_total=len(sc.insights),
    )
    seq = 0
    candor = sc.start_candor

    def add(turn: TurnRecord) -> None:
        nonlocal seq
        turn.seq = seq
        seq += 1
        store.add_turn(session_id, turn)

    add(TurnRecord(seq=0, role="counterpart", text=sc.lines.opening, reply_kind="opening"))
    for ex in exchanges:
        candor = max(0, min(100, candor + (8 if ex.score >= 60 else -15 if ex.score <= 40 else 0)))
        label = "collaborative" if ex.score >= 60 else "adversarial" if ex.score <= 40 else "neutral"
        add(TurnRecord(seq=0, role="user", text=ex.say, score=ex.score, label=label, flags=ex.flags,
                       rewrite=ex.rewrite, candor=candor, unlocked=list(ex.unlocks),
                       reply_kind=None if with_topics else ("reveal" if ex.unlocks else "acknowledge"),
                       topics=list(ex.unlocks) if with_topics else []))
        move = ex.move if with_topics else ("reveal" if ex.move in ("reveal", "deeper") else "acknowledge")
        add(TurnRecord(seq=0, role="counterpart", text=ex.reply, reply_kind=move,
                       topic=ex.topic if with_topics else None))
        if ex.retry:
            store.supersede_last_exchange(session_id)
    if status == "completed" and closing:
        add(TurnRecord(seq=0, role="counterpart", text=sc.lines.closing.warm[0], reply_kind="closing"))
    if status != "unfinished":
        store.finish_session(session_id, status)
    return session_id


def strong_feedback() -> list[Exchange]:
    return [
        Exchange("Thank you for seeing me. I accept the decision and I'd value your advice.", "Of course."),
        Exchange("How did my interview answers land with the panel?",
                 "Do you mean how the answers landed, or what the person chosen brought?", move="clarify",
                 unlocks=["handover-answers"]),
        Exchange("The answers, please.",
                 "Since you ask: the handover questions were the weak spot. You described the process, but the "
                 "panel wanted one hard handover you had run yourself.", move="reveal", topic="handover-answers"),
        Exchange("Which moment stood out most?",
                 "If I had to pick one moment, it was the night-shift question. One real example there would have "
                 "changed the score.", move="deeper", topic="handover-answers"),
        Exchange("What did the person you chose bring that I could work towards?",
                 "What tipped it was scope: they had already run the scanner rollout across two sites, with people "
                 "who did not report to them.", move="reveal", topic="winner-scope", unlocks=["winner-scope"]),
        Exchange("Is there a stretch opportunity I could take on?",
                 "Actually, yes: the budget round starts soon, and I could use someone to take notes in the "
                 "planning sessions. You would see how the trade-offs get made.", move="reveal",
                 topic="shadow-offer", unlocks=["shadow-offer"]),
    ]


def weak_feedback() -> list[Exchange]:
    return [
        Exchange("I still think the process was unfair to me.", "The decision stands.", score=30, move="procedural",
                 flags=[flag("unfair to me", "I'd like to understand how the decision was made.")]),
        Exchange("Tell me what the panel said.", "I'd rather not go into that right now.", score=45, move="deflect"),
        Exchange("Fine. Anything else?", "Let's leave it there.", score=50, move="steer"),
    ]


def strong_career() -> list[Exchange]:
    return [
        Exchange("Thanks for the time. I'd like to talk about how I can grow here.", "Happy to."),
        Exchange("Is there something I could take on to carry more responsibility?",
                 "Funny you ask: the depot move is planned for Q3 and I have nobody to lead it yet. Two sites, three "
                 "teams.", move="reveal", topic="depot-move", unlocks=["depot-move"]),
        Exchange(f"Would you back me next time, {CAREER_PERSONA.split()[0]}?",
                 "You should know I argued for you on the panel, and I would do it again next time.", move="reveal",
                 topic="backing", unlocks=["backing"]),
        Exchange("Could you give me your candid view of my prospects here?",
                 "Honestly, there is no lead role opening on this team for at least a year; the structure is "
                 "settled.", move="reveal", topic="no-opening", unlocks=["no-opening"]),
    ]
