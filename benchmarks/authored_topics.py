"""Do the topics of a composed scenario (`scenarios new`) read by meaning in every field?

For each conversation and a handful of fields, compose a scenario offline, warm the counterpart up with two sincere
lines, then ask about each insight in a phrasing of our own (not one of the scenario's example asks) and check that
the line is read as asking about that insight (or gets a clarifying question naming it). Two sets of phrasings:
the first was used while writing the templates, the second was written afterwards and never tuned against.

Run: python benchmarks/authored_topics.py
"""

from __future__ import annotations

import os
import tempfile

PHRASINGS = [
    {
        "feedback": {
            "interview-answers": "How do you feel my responses went during the interview itself?",
            "winner-experience": "What did the successful person bring to the table that I'm missing?",
            "gap": "What's the biggest thing I'd need to improve to be ready for it?",
            "stronger-candidacy": "If I apply again next year, what would make my application stand out?",
            "stretch-offer": "Could I get some hands-on experience of the role in the meantime?",
            "panel-visibility": "Did the interviewers know much about the work I've done here?",
            "hidden-concern": "Was there any reservation about me that I should hear about, even if it's hard?",
        },
        "career": {
            "more-responsibility": "Is there any extra responsibility I could pick up over the next quarter?",
            "visibility": "How can I make sure senior people see the work I do?",
            "advocacy": "Would you put my name forward if a similar role came up?",
            "next-level": "What do you think I still need to develop to be ready for a promotion?",
            "network": "Is there anyone in the wider organisation you think I should get to know?",
            "prospects": "Honestly, what are the chances of me moving up here in the next couple of years?",
            "reputation": "Is there anything about how I come across to the team that I should know?",
        },
    },
    {
        "feedback": {
            "interview-answers": "Could you walk me through how my interview answers landed with you?",
            "winner-experience": "Without naming names, what experience did the chosen candidate have?",
            "gap": "Was there a particular skill you felt I didn't have yet?",
            "stronger-candidacy": "What should I focus on so I'm a stronger candidate the next time round?",
            "stretch-offer": "Is there a project or some cover I could do to practise that part of the job?",
            "panel-visibility": "Were the people on the panel aware of what I've achieved over the last year?",
            "hidden-concern": "Please be frank: did anything about me worry the panel?",
        },
        "career": {
            "more-responsibility": "I'd like to stretch myself a bit. What could I take ownership of?",
            "visibility": "Are there ways I could get in front of the leadership more often?",
            "advocacy": "Can I count on your support next time something opens up?",
            "next-level": "In your view, what's the gap between where I am and the next step?",
            "network": "Could you introduce me to a few people outside our team?",
            "prospects": "Do you see a way up for me here, or will I need to go elsewhere?",
            "reputation": "Have you heard anything from colleagues about me that I ought to know?",
        },
    },
]
FIELDS = [("nursing", "charge nurse"), ("teaching", "head of year"), ("sales", "sales manager"),
          ("hospitality", "restaurant manager"), ("", "operations lead")]
WARM_UP = ["Thanks for meeting me. I accept the decision and I'd really value your honest advice.",
           "I appreciate that, it means a lot to hear it."]


def main() -> None:
    os.environ.setdefault("NEXTROUND_HOME", tempfile.mkdtemp())
    from nextround.scenario.author import Answers, build_offline
    from nextround.session import Rehearsal
    from nextround.store import Store

    for n, phrasings in enumerate(PHRASINGS, 1):
        hit = total = 0
        misses = []
        for kind, asks in phrasings.items():
            for field, role in FIELDS:
                scenario = build_offline(Answers(kind=kind, field=field, role_applied=role, name="bench")).scenario
                for insight_id, line in asks.items():
                    store = Store()
                    rehearsal = Rehearsal(scenario, store)
                    rehearsal.begin()
                    for warm in WARM_UP:
                        rehearsal.say(warm)
                    rehearsal.say(line)
                    decision = rehearsal.state.decisions[-1]
                    ok = insight_id in decision.reading.topics or insight_id in decision.options
                    hit += ok
                    total += 1
                    if not ok:
                        misses.append(f"{kind}/{field or 'generic'}: {insight_id} read as {decision.reading.topics}")
                    store.close()
        print(f"phrasing set {n}: {hit}/{total} read as the asked topic ({100 * hit / total:.0f} %)")
        for miss in misses:
            print(f"  miss {miss}")


if __name__ == "__main__":
    main()
