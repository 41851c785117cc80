"""Your own scenario (`nextround scenarios new`): composed from field-neutral insight templates and your answers.

The built-in scenarios are examples of the schema, not a base to patch. A new scenario is composed from:

- the templates of its kind (prompts/authoring/feedback.yaml, career.yaml): every insight a counterpart of that
  kind could hold, every line for every move, written for any job, with {slots};
- the words of the user's field (prompts/authoring/fields.yaml): "unit", "shift" and "patients" for nursing,
  "department" and "classes" for teaching, a generic "team" and "work" for any other field;
- themes the answers choose (prompts/authoring/themes.yaml): what the user suspects held them back picks the gap
  the counterpart names, what the other candidate had picks what tipped it, and a few words pick between variants
  (does the manager back you, is there a path up here).

The user's own words choose; they are never pasted into what the counterpart says or knows. Only short names go in
(the role, when it is at most `ROLE_WORDS` words; the counterpart's first name), and before anything is written
`pasted_runs` checks every line and insight against every answer: no run of `MAX_SHARED_RUN` or more consecutive
words of an answer may appear. Engineering vocabulary (`ENGINEERING_TERMS`) appears only if the answers used it.
The result is validated by the scenario schema.

With a model configured, the model drafts the slot texts instead (`nextround.models.drafting`); the same
templates, checks and schema apply, and any failure falls back to this offline composition.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from nextround.errors import NextroundError
from nextround.scenario.legacy import upgrade_takeaways
from nextround.scenario.models import PLACEHOLDERS, Kind, Scenario
from nextround.words import STOPWORDS, longest_shared_run, topic_words, words

KINDS: tuple[Kind, ...] = ("feedback", "career")
STYLE_NAMES = ("warm", "formal", "direct", "reserved")
#: A run of this many consecutive words of an answer may not appear in anything the counterpart says or knows.
MAX_SHARED_RUN = 6
#: The role goes into the counterpart's lines only when it is this short (a name, not a sentence).
ROLE_WORDS = 5
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")

#: Vocabulary from the built-in software scenarios and the trade: it never appears in a composed or drafted
#: scenario unless the user's own answers used the words.
ENGINEERING_TERMS = (
    "roadmap", "cloud", "deploy", "deploys", "deployment", "pipeline", "pipelines", "code", "code review",
    "code reviews", "codebase", "migration", "migrations", "engineer", "engineers", "engineering", "on-call",
    "sprint", "sprints", "architecture", "incident review", "ops review", "platform", "infrastructure",
    "repository", "pull request", "backend", "frontend", "devops", "tech lead", "software", "scheduler", "api",
    "budget", "headcount", "kubernetes", "microservice", "microservices", "outage", "uptime", "latency", "bug",
    "bugs", "debugging",
)

# Words that place a free-text manager style in one of the four families (for the opening and starting candor).
_STYLE_WORDS = {
    "warm": {"warm", "friendly", "kind", "supportive", "encouraging", "approachable", "nice", "caring", "easygoing"},
    "direct": {"direct", "blunt", "brief", "straight", "curt", "brusque", "tough", "strict", "demanding", "frank"},
    "reserved": {"reserved", "quiet", "cautious", "shy", "distant", "guarded", "introverted", "private", "aloof"},
    "formal": {"formal", "measured", "careful", "process", "corporate", "professional", "precise", "stiff"},
}
# Words in "what held you back" that point at the manager's support, or at a path that is closed.
_LUKEWARM_WORDS = ("support", "supported", "backing", "backed", "back me", "reference", "sponsor", "advocate",
                   "vouch", "manager", "boss", "recommend", "recommended", "endorse", "put me forward", "championed")
_CLOSED_WORDS = ("no openings", "no opening", "nowhere", "dead end", "ceiling", "restructure", "restructuring",
                 "freeze", "no path", "no room", "never promoted", "blocked", "stuck", "no vacancies")

# Slots that only the scenario's own title and description use (the user's brief, not the counterpart's words).
_BRIEF_SLOTS = {"role_title", "role_title_short", "counterpart", "counterpart_role"}
# Placeholders the engine fills at run time (see nextround.scenario.models.PLACEHOLDERS).
_ENGINE_PLACEHOLDERS = {name for names in PLACEHOLDERS.values() for name in names}
_SLOT = re.compile(r"\{([a-z_]+)\}")


class AuthoringError(NextroundError):
    """A scenario could not be composed from the answers (the message says which answer to change)."""


# --- the answers --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """What the user told `scenarios new` about their situation. Empty strings mean "not answered"."""

    kind: Kind = "feedback"
    role_applied: str = ""
    field: str = ""
    winner: str = ""
    held_back: str = ""
    manager_style: str = ""
    counterpart_name: str = ""
    counterpart_role: str = ""
    name: str = ""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = (getattr(self, f.name) or "").replace("{", "").replace("}", "")  # never a template slot
            object.__setattr__(self, f.name, " ".join(value.split()))
        if self.kind not in KINDS:
            raise AuthoringError(f"unknown kind {self.kind!r} (use {' or '.join(KINDS)})")

    def own_words(self) -> dict[str, str]:
        """The answers written in the user's own words, by option name (for the pasting check)."""
        labels = {"role_applied": "--role-applied", "field": "--field", "winner": "--winner",
                  "held_back": "--held-back", "manager_style": "--manager-style",
                  "counterpart_name": "--counterpart-name", "counterpart_role": "--counterpart-role"}
        return {label: getattr(self, attr) for attr, label in labels.items() if getattr(self, attr)}


def name_problem(name: str) -> str | None:
    """Why NAME cannot be a new scenario's name, or None. Built-in names are taken (all of them)."""
    from nextround.scenario.loading import builtin_names

    if not NAME_PATTERN.match(name):
        return "use lowercase letters, digits, - and _, starting with a letter"
    if name in builtin_names():
        return f"{name!r} is the name of a built-in scenario; pick another"
    return None


def default_name(kind: Kind) -> str:
    return f"my-{kind}"


# --- the template files -------------------------------------------------------------------------------------------


def template_text(name: str) -> str:
    try:
        return (resources.files("nextround.prompts") / "authoring" / f"{name}.yaml").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AuthoringError(f"prompts/authoring/{name}.yaml is missing from the installation") from None


@lru_cache(maxsize=None)
def _load(name: str) -> dict:
    from nextround.scenario.loading import yaml_load

    data = yaml_load(template_text(name))
    if not isinstance(data, dict):
        raise AuthoringError(f"prompts/authoring/{name}.yaml: not a YAML mapping")
    return data


@dataclass(frozen=True)
class FieldWords:
    """One field's vocabulary (see prompts/authoring/fields.yaml)."""

    key: str  # "nursing", ..., or "generic"
    label: str
    words: dict[str, str]
    feedback_counterpart: dict[str, str]
    career_counterpart: dict[str, str]


#: The vocabulary slots every field defines.
FIELD_SLOTS = ("team", "in_team", "peers", "people", "daily_work", "when_busy", "leaders", "forum", "newcomer",
               "stretch", "working_group", "small_talk")


def _field_words(key: str, raw: dict) -> FieldWords:
    missing = [slot for slot in FIELD_SLOTS if not str(raw.get(slot, "")).strip()]
    if missing:
        raise AuthoringError(f"prompts/authoring/fields.yaml: field {key!r} has no {missing[0]!r}")
    return FieldWords(key=key, label=str(raw.get("label") or ""), words={s: str(raw[s]).strip() for s in FIELD_SLOTS},
                      feedback_counterpart=dict(raw["feedback_counterpart"]),
                      career_counterpart=dict(raw["career_counterpart"]))


def field_table() -> dict[str, FieldWords]:
    """Every field with its own vocabulary, and "generic" for any other field."""
    data = _load("fields")
    table = {key: _field_words(key, raw) for key, raw in data["fields"].items()}
    table["generic"] = _field_words("generic", data["generic"])
    return table


def _matches(text: str, phrases: list[str]) -> list[str]:
    """The PHRASES that occur in TEXT as whole words (a trailing "s" on the text's word is allowed), at most one
    per place in the text ("year" and "years" on the same word count once)."""
    tokens = words(text)
    found: dict[int, str] = {}
    for phrase in phrases:
        want = words(phrase)
        n = len(want)
        if not n:
            continue
        for i in range(len(tokens) - n + 1):
            window = tokens[i:i + n]
            if window[:-1] == want[:-1] and window[-1] in (want[-1], want[-1] + "s"):
                found.setdefault(i, phrase)
                break
    return list(found.values())


def detect_field(field_answer: str, role: str = "") -> FieldWords:
    """The vocabulary for the user's field: the field answer first, then the role; "generic" if neither fits."""
    table = field_table()
    raw_fields = _load("fields")["fields"]
    for text in (field_answer, role):
        best_key, best_hits = None, 0
        for key, raw in raw_fields.items():
            hits = len(_matches(text, list(raw.get("match", [])))) if text else 0
            if hits > best_hits:
                best_key, best_hits = key, hits
        if best_key is not None:
            return table[best_key]
    return table["generic"]


def field_label(role: str) -> str:
    """The field a role points at ("charge nurse" -> "nursing"), or "" when it points at none: a default for the
    field question."""
    return detect_field("", role).label


def counterpart_default(kind: Kind, field_answer: str = "", role: str = "") -> dict[str, str]:
    """A default name and job title for the counterpart, in the user's field."""
    vocab = detect_field(field_answer, role)
    return dict(vocab.feedback_counterpart if kind == "feedback" else vocab.career_counterpart)


@dataclass(frozen=True)
class Theme:
    id: str
    texts: dict[str, str]  # what, showed, day, better, practice / what, showed, for_you
    cues: list[str]
    examples: list[str]
    action: dict[str, Any]
    matched: list[str] = field(default_factory=list)  # the user's words that chose it


def choose_theme(text: str, group: str) -> Theme:
    """The theme of GROUP ("gap" or "winner") that TEXT matches best; the group's default if none does."""
    data = _load("themes")
    best: tuple[int, int] = (0, 0)
    chosen, matched = data[f"{group}_default"], []
    for n, theme in enumerate(data[group]):
        hits = _matches(text, theme.get("match", []))
        if (len(hits), -n) > best and hits:
            best, chosen, matched = (len(hits), -n), theme, hits
    texts = {k: " ".join(str(v).split()) for k, v in chosen.items()
             if k not in {"id", "match", "cues", "examples", "action"}}
    return Theme(id=chosen["id"], texts=texts, cues=list(chosen.get("cues", [])),
                 examples=list(chosen.get("examples", [])), action=dict(chosen["action"]), matched=matched)


# --- filling templates --------------------------------------------------------------------------------------------


def fill(text: str, slots: dict[str, str]) -> str:
    """TEXT with each {slot} replaced; a value that starts a sentence gets a capital letter. {options} and {about}
    are left for the engine. An unknown slot is an error in the template files."""
    text = " ".join(text.split())
    out: list[str] = []
    pos = 0
    for match in _SLOT.finditer(text):
        name = match.group(1)
        if name in _ENGINE_PLACEHOLDERS:
            continue
        if name not in slots:
            raise AuthoringError(f"prompts/authoring: unknown slot {{{name}}} in {text[:50]!r}…")
        out.append(text[pos:match.start()])
        value = slots[name]
        before = "".join(out).rstrip()
        if not before or before[-1] in ".!?":
            value = value[:1].upper() + value[1:]
        out.append(value)
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _fill_deep(value: Any, slots: dict[str, str]) -> Any:
    if isinstance(value, str):
        return fill(value, slots)
    if isinstance(value, list):
        return [_fill_deep(v, slots) for v in value]
    if isinstance(value, dict):
        return {k: _fill_deep(v, slots) for k, v in value.items()}
    return value


def _first_name(name: str) -> str:
    parts = [p for p in name.split() if p[:1].isalpha()]
    return parts[0] if parts else name


def _role_phrase(role: str) -> str:
    """'charge nurse' -> 'the charge nurse role'; 'the Head of Year post' stays a post."""
    role = re.sub(r"^(?:the|a|an)\s+", "", role.strip().rstrip("."), flags=re.IGNORECASE)
    if not role:
        return ""
    last = role.split()[-1].lower()
    return f"the {role}" if last in {"role", "position", "job", "post", "promotion", "opening"} else f"the {role} role"


def _style_family(style: str, default: str) -> str:
    key = style.strip().lower()
    if key in STYLE_NAMES:
        return key
    tokens = set(words(style))
    for family, cue_words in _STYLE_WORDS.items():
        if tokens & cue_words:
            return family
    return default


@dataclass
class Composition:
    """A composed scenario (as a plain dict, before validation) and what went into it."""

    data: dict[str, Any]
    slots: dict[str, str]
    field: FieldWords
    gap: Theme
    winner: Theme
    choices: dict[str, str]


def offline_slots(answers: Answers) -> tuple[dict[str, str], FieldWords, Theme, Theme]:
    """Every slot value the templates may use, from the field's words, the themes and the short answers (the role
    goes into the counterpart's lines only if it is at most `ROLE_WORDS` words)."""
    vocab = detect_field(answers.field, answers.role_applied)
    gap = choose_theme(answers.held_back, "gap")
    winner = choose_theme(answers.winner, "winner")
    kind_counterpart = vocab.feedback_counterpart if answers.kind == "feedback" else vocab.career_counterpart
    counterpart = answers.counterpart_name or kind_counterpart["name"]
    role_full = _role_phrase(answers.role_applied)
    spoken_role = role_full if (role_full and len(words(answers.role_applied)) <= ROLE_WORDS) else ""
    slots: dict[str, str] = dict(vocab.words)
    slots.update(
        name=_first_name(counterpart),
        counterpart=counterpart,
        counterpart_role=answers.counterpart_role or kind_counterpart["role"],
        role_title=role_full or "an internal promotion",
        role_title_short=f"{role_full.removesuffix(' role')} decision" if role_full else "the promotion decision",
        the_role=spoken_role or "the role",
        next_opening=(f"the next {spoken_role.removeprefix('the ').removesuffix(' role')} opening"
                      if spoken_role else "the next opening"),
    )
    for prefix, theme in (("gap", gap), ("winner", winner)):
        for key, text in theme.texts.items():
            slots[f"{prefix}_{key}"] = fill(text, vocab.words)
    return slots, vocab, gap, winner


def _choices(answers: Answers, gap: Theme) -> dict[str, str]:
    """Which variant of each `choose:` insight fits the answers."""
    return {
        # The concern only named when asked directly should not repeat the gap already named.
        "concern": "follow-through" if gap.id in {"leading-others", "working-relationships"} else "accountability",
        "reputation": "waits" if gap.id == "working-relationships" else "curt",
        "advocacy": "lukewarm" if _matches(answers.held_back, list(_LUKEWARM_WORDS)) else "advocates",
        "prospects": "closed" if _matches(answers.held_back, list(_CLOSED_WORDS)) else "open",
    }


def _good_cue(cue: str) -> bool:
    tokens = words(cue)
    return bool(tokens) and all(t not in STOPWORDS and len(t) >= 3 for t in tokens) and \
        any(t in topic_words(cue) for t in tokens)


def _insight(template: dict, slots: dict[str, str], themes: dict[str, Theme], choices: dict[str, str]) -> dict:
    item = {k: copy.deepcopy(v) for k, v in template.items() if k not in {"theme", "choose", "variants"}}
    if "choose" in template:
        item.update(copy.deepcopy(template["variants"][choices[template["choose"]]]))
    theme = themes.get(template.get("theme", ""))
    if theme is not None:
        item["examples"] = list(item["examples"]) + theme.examples
        # The user's own words that chose the theme are cues too: single content words, never a phrase of theirs.
        own = [w for phrase in theme.matched for w in topic_words(phrase)]
        item["cues"] = list(item.get("cues", [])) + theme.cues + own
        item.setdefault("action", copy.deepcopy(theme.action))
    item = _fill_deep(item, slots)
    item["examples"] = list(dict.fromkeys(item["examples"]))
    item["cues"] = [c for c in dict.fromkeys(" ".join(c.lower().split()) for c in item.get("cues", [])) if _good_cue(c)]
    item.setdefault("volunteer", True)
    # The templates sum each insight up in one takeaway; a scenario carries one per layer (see `legacy`).
    return upgrade_takeaways(item)


def compose(answers: Answers, overrides: dict[str, str] | None = None) -> Composition:
    """The scenario for ANSWERS as a dict (not yet checked or validated). OVERRIDES replace slot values (a model's
    draft); anything not overridden comes from the field's words and the themes."""
    slots, vocab, gap, winner = offline_slots(answers)
    slots.update({k: " ".join(v.split()) for k, v in (overrides or {}).items() if v and v.strip()})
    template = _load(answers.kind)
    choices = _choices(answers, gap)
    default_family = template["default_style"]
    family = _style_family(answers.manager_style, default_family) if answers.manager_style else default_family
    style = template["styles"][answers.manager_style.lower()] if answers.manager_style.lower() in STYLE_NAMES else (
        answers.manager_style or template["styles"][default_family])
    spoken = {k: v for k, v in slots.items() if k not in _BRIEF_SLOTS}
    lines = _fill_deep(copy.deepcopy(template["lines"]), spoken)
    data: dict[str, Any] = {
        "name": answers.name or default_name(answers.kind),
        "kind": answers.kind,
        "field": answers.field or vocab.label or None,
        "title": fill(template["title"], slots),
        "description": fill(template["description"], slots),
        "counterpart": {"name": slots["counterpart"], "role": slots["counterpart_role"],
                        "style": " ".join(style.split())},
        "start_candor": int(template["start_candor"][family]),
        "lines": {"opening": fill(template["openings"][family], spoken), **lines},
        "insights": [_insight(t, spoken, {"gap": gap, "winner": winner}, choices) for t in template["insights"]],
    }
    return Composition(data=data, slots=slots, field=vocab, gap=gap, winner=winner, choices=choices)


# --- the checks ---------------------------------------------------------------------------------------------------


def _strings(value: Any, path: str = ""):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}.{i}")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}" if path else k)


def spoken_texts(data: dict[str, Any]):
    """(path, text) for everything the counterpart says or knows, and everything the plan reuses: all lines and
    every insight. The scenario's title, description and counterpart block are the user's own brief."""
    yield from _strings(data.get("lines", {}), "lines")
    yield from _strings(data.get("insights", []), "insights")


@dataclass(frozen=True)
class Pasted:
    path: str
    option: str  # the answer's option, e.g. "--held-back"
    run: int  # how many consecutive words of the answer the text repeats


def pasted_runs(data: dict[str, Any], answers: Answers, limit: int = MAX_SHARED_RUN) -> list[Pasted]:
    """Every line or insight text that repeats `limit` or more consecutive words of one of the answers."""
    found = []
    own = {option: (answer, _ngrams(answer, limit)) for option, answer in answers.own_words().items()
           if len(words(answer)) >= limit}
    for path, text in spoken_texts(data):
        grams = _ngrams(text, limit)
        for option, (answer, answer_grams) in own.items():
            if grams & answer_grams:  # a cheap test first: long answers against a hundred lines
                found.append(Pasted(path, option, longest_shared_run(text, answer)))
    return found


def _ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def _term_in(term_words: list[str], tokens: list[str]) -> bool:
    n = len(term_words)
    return any(tokens[i:i + n] == term_words for i in range(len(tokens) - n + 1))


def engineering_terms(texts: list[str] | dict[str, Any], answers: Answers) -> list[str]:
    """The `ENGINEERING_TERMS` that TEXTS use although none of the answers did."""
    given = words(" ".join(answers.own_words().values()))
    strings = [t for _, t in _strings(texts)] if isinstance(texts, dict) else texts
    tokens = words(" ".join(strings))
    return [term for term in ENGINEERING_TERMS if _term_in(words(term), tokens) and not _term_in(words(term), given)]


def problems(data: dict[str, Any], answers: Answers) -> list[str]:
    """What keeps DATA from being written, in lines a person (or a model, on retry) can act on."""
    out = [f"{p.path} repeats {p.run} consecutive words of the answer to {p.option}; use your own words"
           for p in pasted_runs(data, answers)]
    terms = engineering_terms(data, answers)
    if terms:
        out.append(f"uses engineering words the person never used ({', '.join(terms[:5])}); use words of their field")
    return out


# --- the result ---------------------------------------------------------------------------------------------------


@dataclass
class Authored:
    """A validated scenario ready to write, and how it was made."""

    scenario: Scenario
    data: dict[str, Any]
    drafted_by: str  # "offline", or the model whose draft was used
    field: str  # the vocabulary used ("nursing", ..., "generic")
    warning: str | None = None  # one line for stderr: the model was asked but its draft was not used, and why


def validate(data: dict[str, Any], source: str) -> Scenario:
    from nextround.scenario.loading import scenario_from_data

    return scenario_from_data(data, source)


def neutral_slots(answers: Answers) -> dict[str, str]:
    """Slot values that owe nothing to the answers: generic words, the default themes, "the role"."""
    table = field_table()
    data = _load("themes")
    neutral = dict(table["generic"].words)
    neutral.update(the_role="the role", next_opening="the next opening")
    for group in ("gap", "winner"):
        default = data[f"{group}_default"]
        for key, text in default.items():
            if key not in {"id", "match", "cues", "examples", "action"}:
                neutral[f"{group}_{key}"] = fill(" ".join(str(text).split()), table["generic"].words)
    return neutral


#: A slot value that shares this many consecutive words with an answer is the likely cause of a pasted run.
_RISKY_RUN = 3


def compose_checked(answers: Answers, overrides: dict[str, str] | None = None) -> tuple[Composition, list[str], int]:
    """The composition, what is still wrong with it, and how far it had to go back to neutral words:

    0. as composed;
    1. the slot values that share words with an answer (a field word the user also used, the role) replaced by
       neutral ones, the rest kept;
    2. every slot neutral.
    """
    overrides = dict(overrides or {})
    composition = compose(answers, overrides)
    found = problems(composition.data, answers)
    if not found:
        return composition, [], 0
    neutral = neutral_slots(answers)
    own = list(answers.own_words().values())
    risky = {slot for slot, value in composition.slots.items()
             if slot in neutral and any(longest_shared_run(value, answer) >= _RISKY_RUN for answer in own)}
    risky |= {"the_role", "next_opening"}
    composition = compose(answers, {**overrides, **{slot: neutral[slot] for slot in risky}})
    found = problems(composition.data, answers)
    if not found:
        return composition, [], 1
    composition = compose(answers, neutral)
    return composition, problems(composition.data, answers), 2


def build_offline(answers: Answers) -> Authored:
    """The offline composition, checked and validated. A slot whose words would repeat the user's own (their
    role, or a field phrase they happened to use) falls back to neutral words."""
    composition, left, _ = compose_checked(answers)
    if left:
        raise AuthoringError(f"cannot compose the scenario without repeating your own words: {left[0]}")
    scenario = validate(composition.data, f"new scenario {composition.data['name']}")
    return Authored(scenario=scenario, data=composition.data, drafted_by="offline", field=composition.field.key)


def scenario_yaml(authored: Authored) -> str:
    import yaml

    data = authored.scenario.model_dump(mode="json", exclude_defaults=False)
    name, kind = data["name"], data["kind"]
    how = ("composed offline from field-neutral templates" if authored.drafted_by == "offline"
           else f"drafted by the model {authored.drafted_by}")
    header = (f"# Your own {kind} scenario, made by `nextround scenarios new` ({how}; field words: "
              f"{authored.field}).\n"
              f"# Edit freely; `nextround scenarios show {name}` checks it. Use: nextround {kind} --scenario {name}\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)


def scenario_path(name: str) -> Path:
    """Where a scenario of yours called NAME lives (the folder is made, user-only, if it is missing; an unusable
    data folder is the same one-line error as everywhere)."""
    from nextround.paths import ensure_folder
    from nextround.scenario.loading import user_scenario_dir

    return ensure_folder(user_scenario_dir()) / f"{name}.yaml"


def write_scenario(authored: Authored, *, force: bool = False) -> Path:
    """Write the scenario user-only into the user scenarios folder; an existing file needs FORCE."""
    from nextround.export import write_private
    from nextround.scenario.loading import parse_scenario

    text = scenario_yaml(authored)
    name = authored.scenario.name
    parse_scenario(text, f"new scenario {name}")  # never write a file that would not load
    path = scenario_path(name)
    if path.exists() and not force:
        raise AuthoringError(f"{path} already exists; pass --force to overwrite it")
    # What the user suspects held them back is personal: the folder and file are user-only.
    write_private(path, text)
    return path
