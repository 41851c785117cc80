"""The page's server: one HTML page, its CSS and JS, and a small JSON API on the same functions the CLI calls.

| route | what | the CLI's equivalent |
|---|---|---|
| GET  /                          | the page                                   | |
| GET  /api/info                  | which model, if any (never the key)        | the dim line every command prints |
| GET  /api/scenarios             | built-in scenarios and your own            | `scenarios list` |
| POST /api/sessions              | start a rehearsal: the opening line        | `feedback` / `career --scenario` |
| POST /api/sessions/N/say        | one line: tone, then the reply, streamed (server-sent events) | a line typed at `you>` |
| POST /api/sessions/N/retry      | take the last line back                    | `/retry` |
| POST /api/sessions/N/hint       | what to ask next                           | `/hint` |
| POST /api/sessions/N/end        | the closing line and the report            | `/end` |
| GET  /api/open                  | rehearsals still open (a closed tab)       | |
| GET  /api/sessions              | past sessions                              | `history --json` |
| GET  /api/sessions/N            | one session                                | `show N --json` |
| GET  /api/plan?format=json|md|ics | the plan, or a download                  | `plan --format ...` |
| GET  /api/scenario-defaults     | the defaults `scenarios new` would offer   | the prompts' defaults |
| POST /api/scenarios             | write your own scenario                    | `scenarios new --no-input ...` |

Errors are JSON `{"error": "one plain sentence"}`, worded as the command line words them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from datetime import date
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from nextround.errors import NextroundError, describe
from nextround.web.live import LiveRehearsals, NotOpen
from nextround.web.security import TokenGuard

#: What a scenario name from the page may look like (a built-in or one of your own; never a path).
SCENARIO_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: The longest body the page sends (a line is cut to MAX_LINE_CHARS by the session anyway).
MAX_BODY_BYTES = 64 * 1024
PLAN_FILES = {"md": ("text/markdown; charset=utf-8", "nextround-plan.md"),
              "ics": ("text/calendar; charset=utf-8", "nextround-plan.ics")}
ANSWER_FIELDS = ("role_applied", "field", "winner", "held_back", "manager_style", "counterpart_name",
                 "counterpart_role")


class BadRequest(NextroundError):
    """The page sent something the server cannot use; the message says what."""


def _error(exc: BaseException) -> JSONResponse:
    if isinstance(exc, NotOpen):
        return JSONResponse({"error": str(exc)}, status_code=404)
    status = 400 if isinstance(exc, NextroundError) else 500
    return JSONResponse({"error": describe(exc)}, status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise BadRequest("That is too long to send; shorten it and try again.")
    try:
        data = json.loads(raw.decode("utf-8", errors="replace") or "{}")
    except json.JSONDecodeError:
        raise BadRequest("The page sent something that is not JSON; reload the page and try again.") from None
    if not isinstance(data, dict):
        raise BadRequest("The page sent something that is not a JSON object; reload the page and try again.")
    return data


def _session_id(request: Request) -> int:
    try:
        return int(request.path_params["session_id"])
    except ValueError:
        raise BadRequest("A session is named by its number.") from None


def _settings_line(settings) -> str:
    from nextround.models.settings import describe_choice

    if settings is None:
        return "counterpart: offline (no model configured)"
    return describe_choice(settings)


# --- scenarios ----------------------------------------------------------------------------------------------------


def load_named_scenario(name: str):
    """A scenario by name, as `--scenario NAME` finds it: your own first, then the built-ins (never a file path
    from the page)."""
    from nextround.scenario import load_builtin, load_scenario_file, user_scenario_dir

    if not SCENARIO_NAME.match(name or ""):
        raise BadRequest("Choose a scenario from the list.")
    for suffix in (".yaml", ".yml"):
        own = user_scenario_dir() / f"{name}{suffix}"
        if own.is_file():
            return load_scenario_file(own)
    return load_builtin(name)


def scenario_list() -> list[dict[str, Any]]:
    """`scenarios list --json`, with each scenario's description and counterpart role for the first page (never
    its hidden insights)."""
    from nextround.scenario import catalogue

    rows = []
    for row in catalogue():
        row = {k: v for k, v in row.items() if k != "path"}
        row["description"] = row["role"] = None
        if row["error"] is None:
            scenario = load_named_scenario(row["name"])
            row["description"] = scenario.description
            row["role"] = scenario.counterpart.role
        rows.append(row)
    return rows


def scenario_defaults(kind: str, role_applied: str, field_answer: str) -> dict[str, str]:
    """What `scenarios new` offers when a question is left blank."""
    from nextround.scenario.author import KINDS, counterpart_default, default_name, field_label

    if kind not in KINDS:
        raise BadRequest("Choose the feedback meeting or the career talk.")
    field_value = field_answer.strip() or field_label(role_applied)
    person = counterpart_default(kind, field_value, role_applied)
    return {"field": field_value, "counterpart_name": person["name"], "counterpart_role": person["role"],
            "name": default_name(kind)}


def create_scenario(data: dict[str, Any], settings) -> dict[str, Any]:
    """`scenarios new` with the page's answers: blanks get the defaults `--no-input` gives."""
    from nextround.scenario.author import Answers, name_problem, scenario_path, write_scenario
    from nextround.models.drafting import author_scenario

    kind = str(data.get("kind") or "feedback")
    answers = {key: str(data.get(key) or "").strip() for key in ANSWER_FIELDS}
    defaults = scenario_defaults(kind, answers["role_applied"], answers["field"])
    for key in ("field", "counterpart_name", "counterpart_role"):
        answers[key] = answers[key] or defaults[key]
    name = str(data.get("name") or "").strip().lower() or defaults["name"]
    problem = name_problem(name)
    if problem:
        raise BadRequest(f"Scenario name {name!r}: {problem}.")
    force = bool(data.get("replace"))
    path = scenario_path(name)
    if path.exists() and not force:
        raise BadRequest(f"You already have a scenario named {name!r}; pick another name or tick "
                         "“Replace it”.")
    authored = author_scenario(Answers(kind=kind, name=name, **answers), settings)
    written = write_scenario(authored, force=force)
    how = "composed offline" if authored.drafted_by == "offline" else f"drafted by {authored.drafted_by}"
    return {"name": name, "kind": kind, "path": str(written), "how": how, "field": authored.field,
            "warning": authored.warning}


# --- history, sessions, plan -------------------------------------------------------------------------------------


def history_rows() -> list[dict[str, Any]]:
    from nextround.report import history_row
    from nextround.store import Store

    store = Store()
    try:
        return [history_row(s) for s in store.list_sessions()]
    finally:
        store.close()


def session_data(session_id: int) -> dict[str, Any]:
    from nextround.report import session_to_dict
    from nextround.store import Store

    store = Store()
    try:
        session = store.get_session(session_id)
    finally:
        store.close()
    if session is None:
        raise NotOpen(f"There is no session {session_id}; see the history for the ones you have.")
    return session_to_dict(session, include_superseded=True)


def make_the_plan(session_ids: list[int], latest: bool, today: date, settings):
    """`nextround plan [--session N]... [--latest] [--today DATE]`: the same selection and builder."""
    from nextround.plan import select_sessions
    from nextround.plan.make import make_plan
    from nextround.store import Store

    if session_ids and latest:
        raise BadRequest("Choose either named sessions or the latest ones, not both.")
    store = Store()
    try:
        chosen = select_sessions(store, tuple(session_ids), None, latest)
    finally:
        store.close()
    return make_plan(chosen.sessions, today, settings, chosen)


def _plan_query(request: Request) -> tuple[list[int], bool, date, str]:
    params = request.query_params
    try:
        session_ids = [int(v) for v in params.getlist("session")]
    except ValueError:
        raise BadRequest("A session is named by its number.") from None
    today = date.today()
    if params.get("today"):
        try:
            today = date.fromisoformat(params["today"].strip())
        except ValueError:
            raise BadRequest(f"{params['today']!r} is not a date; use YYYY-MM-DD.") from None
    fmt = params.get("format", "json")
    if fmt not in {"json", "md", "ics"}:
        raise BadRequest("The plan comes as json, md or ics.")
    return session_ids, params.get("latest") in {"1", "true", "yes"}, today, fmt


# --- a rehearsal -------------------------------------------------------------------------------------------------


def _tone(tone) -> dict[str, Any]:
    return tone.to_dict()


def _opened(rehearsal) -> dict[str, Any]:
    """What the page shows about an open rehearsal (never the scenario's hidden insights)."""
    scenario = rehearsal.scenario
    return {
        "session_id": rehearsal.session_id, "scenario": scenario.name, "kind": scenario.kind,
        "title": scenario.title, "description": scenario.description,
        "counterpart": {"name": scenario.counterpart.name, "role": scenario.counterpart.role},
        "candor": rehearsal.state.candor,
        "insights": {"found": len(rehearsal.state.unlocked), "total": len(scenario.insights)},
    }


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def create_app(token: str, settings=None) -> TokenGuard:
    """The app for one run of `nextround web`, behind its token guard. SETTINGS are the model settings (None:
    offline)."""
    lives = LiveRehearsals()

    async def page(request: Request) -> Response:
        html = (resources.files("nextround.web") / "templates" / "index.html").read_text(encoding="utf-8")
        # The page's own key, for the X-Nextround-Token header of its changes. Never a model key.
        return HTMLResponse(html.replace("{{token}}", token))

    async def info(request: Request) -> Response:
        return JSONResponse({"model": _settings_line(settings), "uses_model": bool(settings and settings.uses_model)})

    async def scenarios(request: Request) -> Response:
        try:
            return JSONResponse({"scenarios": await run_in_threadpool(scenario_list)})
        except Exception as exc:  # noqa: BLE001 - shown as one sentence
            return _error(exc)

    async def start(request: Request) -> Response:
        try:
            name = str((await _body(request)).get("scenario") or "")
        except NextroundError as exc:
            return _error(exc)
        live = lives.new()

        def open_rehearsal() -> dict[str, Any]:
            from nextround.assembly import build_rehearsal_parts
            from nextround.session import Rehearsal
            from nextround.store import Store

            scenario = load_named_scenario(name)
            parts = build_rehearsal_parts(settings) if settings is not None else build_rehearsal_parts_offline()
            live.store = Store()
            rehearsal = Rehearsal(scenario, live.store, parts.persona, judge=parts.judge,
                                  model_reader=parts.reader, judge_mode=parts.judge_mode, provider=parts.provider,
                                  model=parts.model)
            rehearsal.prepare_in_background()
            opening = rehearsal.begin()
            live.rehearsal = rehearsal
            return {**_opened(rehearsal), "opening": opening}

        try:
            opened = await live.run(open_rehearsal)
        except Exception as exc:  # noqa: BLE001
            await run_in_threadpool(lives.drop, live)
            return _error(exc)
        lives.bind(live, opened["session_id"])
        return JSONResponse(opened)

    async def still_open(request: Request) -> Response:
        return JSONResponse({"open": [_opened(live.rehearsal) for live in lives.still_open()]})

    async def say(request: Request) -> Response:
        try:
            session_id = _session_id(request)
            live = lives.get(session_id)
            text = str((await _body(request)).get("text") or "")
            if not text.strip():
                raise BadRequest("Type a line first.")
        except NextroundError as exc:
            return _error(exc)
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()

        def put(name: str, data: Any) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, (name, data))

        def one_turn() -> None:
            rehearsal = live.rehearsal
            total = len(rehearsal.scenario.insights)

            def on_decision(decision, judge, truncated) -> None:
                put("decision", {
                    "text": decision.text, "tone": _tone(decision.tone), "candor_before": decision.candor_before,
                    "candor_after": decision.candor_after, "topics": list(decision.asked),
                    "insights": {"found": len(rehearsal.state.unlocked), "total": total},
                    "truncated": truncated, "judge": judge,
                })

            try:
                result = rehearsal.say(text, on_token=lambda chunk: put("token", {"text": chunk}),
                                       on_decision=on_decision)
                put("reply", {"text": result.reply, "move": result.decision.move, "topic": result.decision.topic})
            except Exception as exc:  # noqa: BLE001 - as on the command line: the session stops, the turns stay
                rehearsal.abandon()
                put("failure", {"error": f"{describe(exc)}. The turns so far are saved as session {session_id}."})
            finally:
                put("done", {})

        live.submit(one_turn)

        async def events():
            while True:
                name, data = await queue.get()
                yield _event(name, data)
                if name == "done":
                    return

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"X-Accel-Buffering": "no"})

    async def retry(request: Request) -> Response:
        try:
            live = lives.get(_session_id(request))

            def take_back() -> dict[str, Any]:
                rehearsal = live.rehearsal
                undone = rehearsal.retry()
                return {"undone": undone.text if undone is not None else None, "candor": rehearsal.state.candor,
                        "insights": {"found": len(rehearsal.state.unlocked),
                                     "total": len(rehearsal.scenario.insights)}}

            return JSONResponse(await live.run(take_back))
        except Exception as exc:  # noqa: BLE001
            return _error(exc)

    async def hint(request: Request) -> Response:
        try:
            live = lives.get(_session_id(request))
            return JSONResponse({"hint": await live.run(lambda: live.rehearsal.hint())})
        except Exception as exc:  # noqa: BLE001
            return _error(exc)

    async def end(request: Request) -> Response:
        try:
            session_id = _session_id(request)
            live = lives.get(session_id)

            def finish() -> dict[str, Any]:
                from nextround.report import session_to_dict

                rehearsal = live.rehearsal
                closing = rehearsal.end()
                return {"closing": closing, "session": session_to_dict(live.store.get_session(session_id))}

            try:
                return JSONResponse(await live.run(finish))
            finally:
                await run_in_threadpool(lives.drop, live)
        except Exception as exc:  # noqa: BLE001
            return _error(exc)

    async def history(request: Request) -> Response:
        try:
            return JSONResponse({"sessions": await run_in_threadpool(history_rows)})
        except Exception as exc:  # noqa: BLE001
            return _error(exc)

    async def show(request: Request) -> Response:
        try:
            return JSONResponse(await run_in_threadpool(session_data, _session_id(request)))
        except Exception as exc:  # noqa: BLE001
            return _error(exc)

    async def plan(request: Request) -> Response:
        try:
            session_ids, latest, today, fmt = _plan_query(request)
            made = await run_in_threadpool(make_the_plan, session_ids, latest, today, settings)
        except Exception as exc:  # noqa: BLE001
            return _error(exc)
        if fmt == "json":
            return JSONResponse({"plan": made.plan.to_json_dict(), "warning": made.warning, "model": made.model})
        from nextround.plan import plan_to_ics, plan_to_markdown

        body = plan_to_ics(made.plan) if fmt == "ics" else plan_to_markdown(made.plan).encode("utf-8")
        media_type, filename = PLAN_FILES[fmt]
        return Response(body, media_type=media_type,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    async def defaults(request: Request) -> Response:
        params = request.query_params
        try:
            return JSONResponse(await run_in_threadpool(
                scenario_defaults, params.get("kind", "feedback"), params.get("role_applied", ""),
                params.get("field", "")))
        except Exception as exc:  # noqa: BLE001
            return _error(exc)

    async def new_scenario(request: Request) -> Response:
        try:
            data = await _body(request)
            return JSONResponse(await run_in_threadpool(create_scenario, data, settings))
        except Exception as exc:  # noqa: BLE001
            return _error(exc)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        # Stopping the server (Ctrl-C) ends every open rehearsal as interrupted; their turns are already saved.
        await run_in_threadpool(lives.close_all)

    routes = [
        Route("/", page),
        Route("/api/info", info),
        Route("/api/scenarios", scenarios, methods=["GET"]),
        Route("/api/scenarios", new_scenario, methods=["POST"]),
        Route("/api/scenario-defaults", defaults),
        Route("/api/open", still_open),
        Route("/api/sessions", history, methods=["GET"]),
        Route("/api/sessions", start, methods=["POST"]),
        Route("/api/sessions/{session_id}", show, methods=["GET"]),
        Route("/api/sessions/{session_id}/say", say, methods=["POST"]),
        Route("/api/sessions/{session_id}/retry", retry, methods=["POST"]),
        Route("/api/sessions/{session_id}/hint", hint, methods=["POST"]),
        Route("/api/sessions/{session_id}/end", end, methods=["POST"]),
        Route("/api/plan", plan),
        Mount("/static", StaticFiles(packages=[("nextround.web", "static")]), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.lives = lives
    return TokenGuard(app, token)


def build_rehearsal_parts_offline():
    """The offline parts, as `build_rehearsal_parts` gives them without a model (no settings were loaded)."""
    from nextround.assembly import build_rehearsal_parts
    from nextround.models.settings import Settings

    return build_rehearsal_parts(Settings.model_construct(provider="offline"))
