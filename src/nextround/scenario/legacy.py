"""Reading scenarios written in the first schema (saved sessions, and files made by an older `scenarios new`).

Sessions store a snapshot of their scenario, and other tools refer to insight ids, so an old snapshot must keep
loading. `upgrade` maps a schema-1 mapping onto schema 2 without inventing content: the first reveal line becomes
`reveal` and the rest `deeper`; the old line lists fill the moves that grew out of them. Example asks, which the
first schema did not have, are taken from the insight's hint, title and cue phrases, so an old file still plays,
if less well than one written for schema 2.
"""

from __future__ import annotations

import copy
from typing import Any

# Lines a schema-1 file never had. Neutral wording that fits any counterpart.
_CLARIFY = ["Just so I answer the right thing: do you mean {options}?",
            "I want to be useful here. Are you asking about {options}?"]
_APOLOGY = ["Thank you for saying that. Let's carry on.", "I appreciate that. Shall we go on?"]
_FEELING = ["That's understandable. It's a real disappointment, and it's fine to say so.",
            "I hear that. Thank you for being honest about how it feels."]
_FOLLOWUP = ["Of course. Put some time in my calendar and we'll pick it up.",
             "Yes, let's do that. Let me know when suits you."]
_SMALL_TALK = ["Not bad, thanks. Shall we get into it?", "Fine, thanks. What would you like to talk about?"]


def is_legacy(data: Any) -> bool:
    """A schema-1 mapping: reveal lines as a list, or the old line lists (guarded, defensive, off_topic...)."""
    if not isinstance(data, dict):
        return False
    lines = data.get("lines")
    if isinstance(lines, dict) and ("guarded" in lines or "off_topic" in lines or "closing_cool" in lines):
        return True
    insights = data.get("insights")
    return isinstance(insights, list) and any(isinstance(i, dict) and isinstance(i.get("reveal"), list)
                                              for i in insights)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)] if value else []


def _pad(items: list[str], fallback: list[str], minimum: int) -> list[str]:
    out = list(dict.fromkeys(items))
    for extra in fallback:
        if len(out) >= minimum:
            break
        if extra not in out:
            out.append(extra)
    return out


def _upgrade_insight(old: dict) -> dict:
    new = {k: v for k, v in old.items() if k not in {"reveal"}}
    reveal = _as_list(old.get("reveal"))
    new["reveal"] = reveal[0] if reveal else str(old.get("knows", ""))
    deeper = reveal[1:]
    if not deeper:
        deeper = [str(old.get("knows", "")) or "That's the heart of it."]
    new["deeper"] = deeper
    title = str(old.get("title", "")).strip()
    new.setdefault("about", (title[:1].lower() + title[1:])[:90] if title else str(old.get("id", "this")))
    new.setdefault("takeaway", title.rstrip(".") + "." if title else "See the session for details.")
    cues = [c for c in _as_list(old.get("cues")) if len(c.split()) >= 1]
    examples = [str(old.get("ask_hint", "")).strip(), f"Can you tell me about {new['about']}?"]
    examples += [f"What about {c}?" for c in cues if len(c) >= 4]
    examples += [f"I'd like to understand more about {c}." for c in cues if len(c) >= 4]
    seen: set[str] = set()
    new["examples"] = [e for e in examples if e and not (e.lower() in seen or seen.add(e.lower()))]
    while len(new["examples"]) < 8:
        new["examples"].append(f"Could you say more about {new['about']} ({len(new['examples'])})?")
    # Schema 1 allowed stems and function words as cues; schema 2 keeps only content words.
    from nextround.words import STOPWORDS, words

    new["cues"] = [c for c in cues if words(c) and not all(w in STOPWORDS for w in words(c))
                   and not (len(words(c)) == 1 and len(words(c)[0]) < 3)]
    return new


def upgrade(data: dict) -> dict:
    """A schema-2 mapping from a schema-1 one (returned unchanged when it is not schema 1)."""
    if not is_legacy(data):
        return data
    data = copy.deepcopy(data)
    old = data.get("lines", {}) or {}
    ack = _as_list(old.get("acknowledge"))
    guarded = _as_list(old.get("guarded"))
    defensive = _as_list(old.get("defensive"))
    off_topic = _as_list(old.get("off_topic"))
    already = _as_list(old.get("already_shared"))
    closing = _as_list(old.get("closing"))
    cool_close = _as_list(old.get("closing_cool"))
    data["lines"] = {
        "opening": old.get("opening", "Thanks for coming in. Where would you like to start?"),
        "acknowledge": {
            "thanks": _pad(ack, ["You're welcome."], 2),
            "apology": _APOLOGY,
            "feeling": _FEELING,
            "accept": _pad(ack[1:] or ack, ["Thank you for saying that."], 2),
            "followup": _FOLLOWUP,
        },
        "clarify": _CLARIFY,
        "deflect": _pad(guarded, ["I'd rather not go into that yet."], 2),
        "exhausted": _pad(already, ["I think I've said what I can on that."], 2),
        "procedural": _pad(defensive, ["The decision stands."], 3),
        "cool": _pad(list(reversed(defensive)), ["Okay."], 3),
        "small_talk": _SMALL_TALK,
        "steer": _pad(off_topic, ["What would you like to ask me?"], 3),
        "closing": {
            "warm": _pad(closing, ["Thanks for coming in."], 2),
            "neutral": _pad(cool_close[:1] + closing[-1:], ["Let's leave it there for today."], 2),
            "cool": _pad(cool_close, ["Let's stop there."], 2),
        },
    }
    data["insights"] = [_upgrade_insight(i) if isinstance(i, dict) else i for i in data.get("insights", [])]
    return data


# --- one takeaway per layer --------------------------------------------------------------------------------------
# Files written before per-layer takeaways have one `takeaway` that sums up every layer. The plan must never state
# a layer a session did not reach, and layers come out in order, so the old sentence is true only once the last
# layer was said: it becomes the last layer's takeaway. Each earlier layer gets its own words instead (a quoted
# sentence of it), which can claim nothing beyond that layer.

_QUOTE_CHARS = 220


def layer_quote(layer: str) -> str:
    """A takeaway made of a layer's own words: its longest sentence (lead-ins such as "Since you ask, I'll be
    specific." are short; the substance is not), quoted (“…”)."""
    import re

    text = " ".join(str(layer).split())
    parts = [p for p in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“'])", text) if p]
    chosen = max(parts, key=lambda p: len(p.split())) if parts else text
    if len(chosen) > _QUOTE_CHARS:
        chosen = chosen[: _QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f"“{chosen}”"


def upgrade_takeaways(data: Any) -> Any:
    """An insight mapping with `takeaways` (one per layer) from one with a single `takeaway`; any other value
    unchanged."""
    if not isinstance(data, dict) or "takeaways" in data or "takeaway" not in data:
        return data
    data = dict(data)
    single = str(data.pop("takeaway") or "").strip()
    deeper = data.get("deeper")
    layers = [data.get("reveal"), *(deeper if isinstance(deeper, list) else [])]
    if not all(isinstance(layer, str) for layer in layers) or len(layers) < 2:
        data["takeaways"] = [single]  # the schema's own errors will say what is wrong with the layers
        return data
    data["takeaways"] = [layer_quote(layer) for layer in layers[:-1]] + [single or layer_quote(layers[-1])]
    return data
