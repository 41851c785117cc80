"""`nextround web`: the page's server through Starlette's test client, and the real command in a subprocess.

What a user would notice: the page opens only with its key, changes need the key in a header, nothing is loaded
from outside the machine, a rehearsal in the page gives the same tones, insights and plan as the same lines
through `--script --json`, a closed tab loses nothing, and the model settings and errors are the command line's.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.testclient import TestClient  # noqa: E402

TOKEN = "test-token-1234"
HEADER = {"X-Nextround-Token": TOKEN}
REPO = Path(__file__).resolve().parent.parent
SARCASTIC = "Oh wonderful, so I get to wait another year while you promote your favourite. Brilliant decision, really."
LINES = [
    "Thanks for making the time; I accept the decision and I'd value your advice on becoming a stronger candidate.",
    SARCASTIC,
    "/retry",
    "How did my interview answers come across to the panel?",
    "Could you say a bit more about that?",
    "What did the person you chose bring that made the difference?",
    "Thank you, that's really useful. Could I check back with you in a couple of months?",
]
FAKE_KEY = "sk-test-DO-NOT-SHOW-9876543210"


def make_client(settings=None) -> TestClient:
    from nextround.web.app import create_app

    return TestClient(create_app(TOKEN, settings), base_url="http://127.0.0.1:8710")


@pytest.fixture
def client():
    with make_client() as c:
        yield c


def events(response) -> list[tuple[str, dict]]:
    """The server-sent events of a response, in order."""
    found = []
    for block in response.text.strip().split("\n\n"):
        name = re.search(r"^event: (.*)$", block, re.M).group(1)
        data = json.loads(re.search(r"^data: (.*)$", block, re.M).group(1))
        found.append((name, data))
    return found


def play(client, lines: list[str], scenario: str = "feedback") -> tuple[int, list]:
    """Play LINES through the API as the page does (the page sends /retry and /hint as their buttons)."""
    opened = client.post("/api/sessions", json={"scenario": scenario}, headers=HEADER)
    assert opened.status_code == 200, opened.text
    session_id = opened.json()["session_id"]
    streamed = []
    for line in lines:
        if line == "/retry":
            assert client.post(f"/api/sessions/{session_id}/retry", headers=HEADER).status_code == 200
            continue
        response = client.post(f"/api/sessions/{session_id}/say", json={"text": line}, headers=HEADER)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        streamed.append(events(response))
    ended = client.post(f"/api/sessions/{session_id}/end", headers=HEADER)
    assert ended.status_code == 200, ended.text
    return session_id, streamed


# --- the key -------------------------------------------------------------------------------------------------------


def test_without_the_token_every_request_is_refused(client):
    for path in ("/", "/static/app.js", "/static/app.css", "/api/scenarios", "/api/sessions", "/api/plan",
                 "/api/info"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert "nextround web" in response.text and "Traceback" not in response.text
        assert client.get(path, params={"token": "wrong"}).status_code == 403, path
    # Changes: without the header 401, with a wrong one 403, and nothing was started.
    assert client.post("/api/sessions", json={"scenario": "feedback"}).status_code == 401
    assert client.post("/api/sessions", json={"scenario": "feedback"},
                       headers={"X-Nextround-Token": "wrong"}).status_code == 403
    assert client.get("/api/sessions", params={"token": TOKEN}).json()["sessions"] == []


def test_the_first_visit_moves_the_token_into_a_cookie_and_the_page_works_from_it(client):
    first = client.get("/", params={"token": TOKEN}, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/"
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN in cookie
    page = client.get("/")  # the client kept the cookie
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/api/scenarios").status_code == 200


def test_a_cookie_is_not_enough_for_a_change(client):
    client.get("/", params={"token": TOKEN})
    assert client.get("/api/sessions").status_code == 200  # the cookie opens pages
    refused = client.post("/api/sessions", json={"scenario": "feedback"})
    assert refused.status_code == 401  # another site's form would send the cookie, never the header
    assert client.post("/api/sessions", json={"scenario": "feedback"}, headers=HEADER).status_code == 200


def test_every_response_forbids_outside_loading_and_carries_no_key_or_referrer(client):
    for response in (client.get("/"), client.get("/", params={"token": TOKEN}), client.get("/static/app.js"),
                     client.get("/api/info"), client.post("/api/sessions", json={})):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"


# --- nothing from outside ------------------------------------------------------------------------------------------

#: The SVG namespace is a name, not an address: `createElementNS` needs it, and nothing is fetched from it.
NAMESPACES = {"http://www.w3.org/2000/svg"}


def test_no_served_file_loads_anything_from_outside_the_machine(client):
    client.get("/", params={"token": TOKEN})
    page = client.get("/").text
    files = {"/": page}
    for ref in re.findall(r'(?:src|href)="([^"#]+)"', page):
        if ref.startswith("data:"):
            continue  # inline (the empty icon that saves a request)
        assert ref.startswith("/"), f"the page refers to {ref}"
        files[ref] = client.get(ref).text
    assert {"/static/app.css", "/static/app.js"} <= set(files)
    for name, text in files.items():
        urls = set(re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"')]*", text)) - NAMESPACES
        assert urls == set(), (name, urls)
        assert "@import" not in text and "@font-face" not in text, name
        assert not re.search(r"url\(\s*['\"]?(?!data:)[a-z]+:", text), name
    # The page does not lean on inline script or style, which the Content-Security-Policy forbids.
    assert not re.search(r"<script(?![^>]*\bsrc=)", page) and "<style" not in page and " style=" not in page
    assert not re.search(r"\son[a-z]+=", page)


def test_the_css_and_js_ship_inside_the_wheel():
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "nextround.web" in config["packages"]
    web = REPO / "src" / "nextround" / "web"
    shipped = {p for pattern in config["package-data"]["nextround.web"] for p in web.glob(pattern)}
    for needed in ("templates/index.html", "static/app.css", "static/app.js"):
        assert web / needed in shipped, needed


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_pass_wcag_aa_contrast():
    css = (REPO / "src" / "nextround" / "web" / "static" / "app.css").read_text(encoding="utf-8")
    colour = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    pairs = [("ink", "paper"), ("muted", "paper"), ("muted", "panel"), ("ink", "panel"), ("ink", "them-bg"),
             ("accent", "paper"), ("accent", "panel"), ("accent", "them-bg"), ("accent-ink", "accent"),
             ("good-ink", "good-bg"), ("mid-ink", "mid-bg"), ("bad-ink", "bad-bg"), ("bad-ink", "paper"),
             ("good-ink", "paper")]
    for text, background in pairs:
        assert contrast(colour[text], colour[background]) >= 4.5, (text, background)
    # The focus ring (a non-text outline) stands out from the page at 3:1 or more.
    assert contrast(colour["focus"], colour["paper"]) >= 3 and contrast(colour["focus"], colour["panel"]) >= 3
    assert ":focus-visible" in css


def test_every_control_on_the_page_has_a_label():
    page = (REPO / "src" / "nextround" / "web" / "templates" / "index.html").read_text(encoding="utf-8")
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', page))
    for tag, control_id in re.findall(r'<(input|select|textarea)[^>]*\bid="([^"]+)"', page):
        assert control_id in labelled, control_id
    assert '<html lang="en">' in page and 'name="viewport"' in page


# --- a rehearsal ---------------------------------------------------------------------------------------------------


def test_a_rehearsal_in_the_page_is_the_same_as_the_same_lines_through_script_json(client, nextround, tmp_path):
    script = tmp_path / "lines.txt"
    script.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    cli = json.loads(nextround("feedback", "--script", str(script), "--json").output)
    web_id, streamed = play(client, LINES)
    page = client.get(f"/api/sessions/{web_id}", params={"token": TOKEN}).json()

    def user_turns(session):
        return [(t["text"], t["tone"]["score"], t["tone"]["label"], t["tone"]["flags"], t["tone"]["rewrite"],
                 t["candor"], t["topics"]) for t in session["turns"] if t["role"] == "user" and not t.get("rephrased")]

    def replies(session):
        return [(t["text"], t["move"], t["topic"]) for t in session["turns"]
                if t["role"] == "counterpart" and not t.get("rephrased")]

    assert user_turns(page) == user_turns(cli)
    assert replies(page) == replies(cli)
    assert page["insights"] == cli["insights"] and cli["insights"]["unlocked"]
    assert page["summary"]["tone_over_turns"] == cli["summary"]["tone_over_turns"]
    # What the page showed while playing is what was saved: the badge before the reply, then the reply.
    shown = [(e[0][1]["tone"]["score"], e[-2][1]["text"]) for e in streamed]
    assert [name for name, _ in streamed[0]][0] == "decision" and streamed[0][-1][0] == "done"
    said = [t for t in page["turns"] if t["role"] == "user"]
    assert [s for s, _ in shown] == [t["tone"]["score"] for t in said]
    # The sarcastic line was flagged as sarcasm, then taken back, and stays in the record marked as rephrased.
    sarcastic = streamed[1][0][1]["tone"]
    assert sarcastic["label"] == "adversarial" and any(f["category"] == "sarcasm" for f in sarcastic["flags"])
    assert [t["text"] for t in said if t.get("rephrased")] == [SARCASTIC]

    # The same plan, from the page and from `nextround plan`, for the two sessions.
    cli_plan = json.loads(nextround("plan", "--session", str(cli["session_id"]), "--format", "json",
                                    "--today", "2026-12-07").output)
    web_plan = client.get("/api/plan", params={"session": web_id, "today": "2026-12-07", "token": TOKEN}).json()

    def same_session(plan, session_id):
        text = json.dumps(plan)
        text = re.sub(rf"\bsession {session_id}\b", "session N", text)
        data = json.loads(text)
        for ref in data["sessions"]:
            ref["session_id"] = "N"
            ref["started_at"] = ""
        for evidence in (e for a in data["take_stock"] for e in a["evidence"]):
            evidence["session_id"] = "N"
        return data

    assert same_session(web_plan["plan"], web_id) == same_session(cli_plan, cli["session_id"])
    assert web_plan["warning"] is None


def test_the_plan_downloads_as_markdown_and_calendar(client):
    play(client, LINES)
    ics = client.get("/api/plan", params={"format": "ics", "today": "2026-12-07", "token": TOKEN})
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert 'filename="nextround-plan.ics"' in ics.headers["content-disposition"]
    assert ics.text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in ics.text
    md = client.get("/api/plan", params={"format": "md", "today": "2026-12-07", "token": TOKEN})
    assert md.headers["content-type"].startswith("text/markdown") and md.text.startswith("# Your plan (2026-12-07)")


def test_without_practice_the_plan_says_why_in_one_sentence(client):
    response = client.get("/api/plan", params={"token": TOKEN})
    assert response.status_code == 400
    message = response.json()["error"]
    assert "no sessions" in message.lower() and "\n" not in message


def test_hint_and_retry_answer_like_the_slash_commands(client):
    opened = client.post("/api/sessions", json={"scenario": "career"}, headers=HEADER).json()
    session_id = opened["session_id"]
    nothing = client.post(f"/api/sessions/{session_id}/retry", headers=HEADER).json()
    assert nothing["undone"] is None and nothing["candor"] == opened["candor"]
    hint = client.post(f"/api/sessions/{session_id}/hint", headers=HEADER).json()["hint"]
    assert hint and "Ask" in hint
    client.post(f"/api/sessions/{session_id}/say", json={"text": SARCASTIC}, headers=HEADER)
    undone = client.post(f"/api/sessions/{session_id}/retry", headers=HEADER).json()
    assert undone["undone"] == SARCASTIC and undone["candor"] == opened["candor"]


def test_a_closed_tab_loses_nothing_and_stopping_the_server_marks_the_session_interrupted():
    with make_client() as client:
        session_id = client.post("/api/sessions", json={"scenario": "feedback"}, headers=HEADER).json()["session_id"]
        client.post(f"/api/sessions/{session_id}/say", json={"text": LINES[0]}, headers=HEADER)
        # The tab closes here: nobody ends the session. Its turns are already on disk.
        saved = client.get(f"/api/sessions/{session_id}", params={"token": TOKEN}).json()
        assert [t["role"] for t in saved["turns"]] == ["counterpart", "user", "counterpart"]
        assert saved["status"] == "unfinished"
        # A new tab offers to go on with it, where it stopped.
        still = client.get("/api/open", params={"token": TOKEN}).json()["open"]
        assert [(o["session_id"], o["candor"]) for o in still] == [(session_id, saved["turns"][1]["candor"])]
        assert "insights" in still[0] and "reveal" not in json.dumps(still)
    with make_client() as client:  # the server stopped (Ctrl-C) and started again
        after = client.get(f"/api/sessions/{session_id}", params={"token": TOKEN}).json()
        assert after["status"] == "interrupted" and len(after["turns"]) == 3
        gone = client.post(f"/api/sessions/{session_id}/say", json={"text": "Hello?"}, headers=HEADER)
        assert gone.status_code == 404 and "not open" in gone.json()["error"]


def test_bad_requests_get_one_plain_sentence(client):
    for body, status in (({"scenario": "../../etc/passwd"}, 400), ({"scenario": "no-such-one"}, 400),
                         ({}, 400)):
        response = client.post("/api/sessions", json=body, headers=HEADER)
        assert response.status_code == status
        message = response.json()["error"]
        assert message and "\n" not in message and "Traceback" not in message
    opened = client.post("/api/sessions", json={"scenario": "feedback"}, headers=HEADER).json()
    empty = client.post(f"/api/sessions/{opened['session_id']}/say", json={"text": "   "}, headers=HEADER)
    assert empty.status_code == 400 and empty.json()["error"] == "Type a line first."
    garbage = client.post("/api/sessions", content=b"{not json", headers=HEADER)
    assert garbage.status_code == 400 and "JSON" in garbage.json()["error"]


# --- your own scenario ---------------------------------------------------------------------------------------------


def test_writing_a_scenario_in_the_page_is_scenarios_new(client, nextround, isolated_home):
    answers = {"kind": "career", "role_applied": "charge nurse", "held_back": "not enough leadership on shift",
               "name": "web-made"}
    made = client.post("/api/scenarios", json=answers, headers=HEADER)
    assert made.status_code == 200, made.text
    assert made.json()["name"] == "web-made" and made.json()["how"] == "composed offline"
    written = (isolated_home / "config" / "scenarios" / "web-made.yaml").read_text(encoding="utf-8")
    nextround("scenarios", "new", "--no-input", "--kind", "career", "--role-applied", "charge nurse",
              "--held-back", "not enough leadership on shift", "--name", "cli-made")
    by_cli = (isolated_home / "config" / "scenarios" / "cli-made.yaml").read_text(encoding="utf-8")
    assert written.replace("web-made", "NAME") == by_cli.replace("cli-made", "NAME")
    # It is offered on the first page, and can be practised.
    listed = client.get("/api/scenarios", params={"token": TOKEN}).json()["scenarios"]
    assert any(s["name"] == "web-made" and s["source"] == "yours" and s["kind"] == "career" for s in listed)
    assert client.post("/api/sessions", json={"scenario": "web-made"}, headers=HEADER).status_code == 200
    again = client.post("/api/scenarios", json=answers, headers=HEADER)
    assert again.status_code == 400 and "already" in again.json()["error"]
    assert client.post("/api/scenarios", json={**answers, "replace": True}, headers=HEADER).status_code == 200
    bad = client.post("/api/scenarios", json={**answers, "name": "feedback"}, headers=HEADER)
    assert bad.status_code == 400 and "built-in" in bad.json()["error"]


def test_the_scenario_form_offers_the_defaults_of_scenarios_new(client):
    from nextround.scenario.author import counterpart_default, field_label

    got = client.get("/api/scenario-defaults", params={"kind": "feedback", "role_applied": "head of year",
                                                        "token": TOKEN}).json()
    assert got["field"] == field_label("head of year")
    person = counterpart_default("feedback", got["field"], "head of year")
    assert (got["counterpart_name"], got["counterpart_role"], got["name"]) == (person["name"], person["role"],
                                                                                "my-feedback")


# --- model mode ----------------------------------------------------------------------------------------------------


def test_model_mode_shows_the_model_but_never_the_key(monkeypatch):
    from nextround.models.settings import load_settings

    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    settings = load_settings({"model": "gpt-4o-mini"}).settings
    with make_client(settings) as client:
        client.get("/", params={"token": TOKEN})
        info = client.get("/api/info").json()
        assert info["uses_model"] and "gpt-4o-mini" in info["model"]
        for path in ("/", "/api/info", "/api/scenarios", "/static/app.js", "/api/sessions"):
            assert FAKE_KEY not in client.get(path).text, path


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_a_model_that_cannot_be_reached_fails_as_on_the_command_line(tmp_path, nextround):
    from nextround.models.settings import load_settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # released: nothing listens there
    url = f"http://127.0.0.1:{port}/v1"
    settings = load_settings({"provider": "openai", "base_url": url, "max_retries": 0}).settings
    with make_client(settings) as client:
        session_id = client.post("/api/sessions", json={"scenario": "feedback"}, headers=HEADER).json()["session_id"]
        got = events(client.post(f"/api/sessions/{session_id}/say", json={"text": LINES[0]}, headers=HEADER))
        failure = dict(got)["failure"]["error"]
        saved = client.get(f"/api/sessions/{session_id}", params={"token": TOKEN}).json()
    script = tmp_path / "one.txt"
    script.write_text(LINES[0] + "\n")
    from click.testing import CliRunner

    from nextround.cli import cli

    by_cli = CliRunner().invoke(cli, ["feedback", "--provider", "openai", "--base-url", url, "--script",
                                      str(script)], env={"NEXTROUND_MAX_RETRIES": "0"})
    cli_error = [line for line in by_cli.output.splitlines() if line.startswith("Error: ")][0][len("Error: "):]
    assert failure.startswith(cli_error) and "connection refused" in failure
    assert f"saved as session {session_id}" in failure
    assert saved["status"] == "interrupted" and [t["role"] for t in saved["turns"]] == ["counterpart", "user"]


def test_a_bad_setting_stops_nextround_web_with_the_same_line_as_other_commands(nextround, monkeypatch):
    from click.testing import CliRunner

    from nextround.cli import cli

    monkeypatch.setenv("NEXTROUND_TIMEOUT", "-3")
    web = CliRunner().invoke(cli, ["web", "--no-open", "--port", "0"])
    plan = CliRunner().invoke(cli, ["config"])
    assert web.exit_code == 1 and web.output.strip() == plan.output.strip()
    assert "NEXTROUND_TIMEOUT" in web.output


# --- the command ---------------------------------------------------------------------------------------------------


def test_loopback_is_the_default_and_anything_else_is_warned_about(monkeypatch):
    from click.testing import CliRunner

    from nextround.cli import cli
    from nextround.cli import web as web_cli

    assert web_cli.DEFAULT_HOST == "127.0.0.1"
    assert web_cli.is_loopback("127.0.0.1") and web_cli.is_loopback("::1") and web_cli.is_loopback("localhost")
    assert not web_cli.is_loopback("0.0.0.0") and not web_cli.is_loopback("192.168.1.20")
    seen = {}

    def fake_bind(host, port):  # listen on loopback whatever --host says: the test itself stays private
        seen["host"] = host
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        return sock

    import uvicorn

    monkeypatch.setattr(web_cli, "bind", fake_bind)
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    shared = CliRunner().invoke(cli, ["web", "--host", "0.0.0.0", "--port", "0", "--no-open"])
    assert shared.exit_code == 0 and seen["host"] == "0.0.0.0"
    assert "warning: --host 0.0.0.0 is not this machine's loopback address" in shared.output
    private = CliRunner().invoke(cli, ["web", "--port", "0", "--no-open"])
    assert private.exit_code == 0 and seen["host"] == "127.0.0.1" and "warning" not in private.output


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_nextround_web_prints_a_url_with_a_token_serves_loopback_only_and_stops_cleanly(isolated_home):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NEXTROUND_"))}
    env.update(NEXTROUND_HOME=str(isolated_home))
    proc = subprocess.Popen([sys.executable, "-m", "nextround", "web", "--port", "0", "--no-open"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:(\d+)/)\?token=([\w-]{20,})", line)
        assert match, line + proc.stderr.read() if proc.poll() is not None else line
        base, port, token = match.group(1), int(match.group(2)), match.group(3)
        deadline = time.time() + 20
        while True:  # the URL is printed just before the server takes requests
            try:
                with urllib.request.urlopen(base + "api/info?token=" + token, timeout=5) as ok:
                    assert ok.status == 200
                break
            except urllib.error.URLError:
                assert time.time() < deadline
                time.sleep(0.1)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base, timeout=5)
        assert refused.value.code == 401
        # Listening on loopback only: the port is bound to 127.0.0.1, not to every address.
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True)
        if listening.returncode == 0 and listening.stdout.strip():
            assert all("127.0.0.1:" in row for row in listening.stdout.strip().splitlines()), listening.stdout
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "Stopped" in out and "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_a_port_in_use_is_one_clear_line():
    from click.testing import CliRunner

    from nextround.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["web", "--port", str(port), "--no-open"])
    assert result.exit_code == 1
    assert f"port {port} is already in use" in result.output and "Traceback" not in result.output


def test_in_model_mode_the_reply_streams_to_the_page_piece_by_piece():
    from nextround.models.settings import load_settings

    reply = "That is a fair question, and I am glad you asked it."
    settings = load_settings({"provider": "langchain_core.language_models.fake_chat_models:FakeListChatModel",
                              "judge": "local"}).settings
    settings = settings.model_copy(update={"model_kwargs": {"responses": [reply]}})
    with make_client(settings) as client:
        session_id = client.post("/api/sessions", json={"scenario": "feedback"}, headers=HEADER).json()["session_id"]
        got = events(client.post(f"/api/sessions/{session_id}/say", json={"text": LINES[3]}, headers=HEADER))
        saved = client.get(f"/api/sessions/{session_id}", params={"token": TOKEN}).json()
    names = [name for name, _ in got]
    assert names[0] == "decision" and names[-2:] == ["reply", "done"]
    pieces = [data["text"] for name, data in got if name == "token"]
    assert len(pieces) > 5 and "".join(pieces) == reply == dict(got)["reply"]["text"]
    assert saved["provider"] == "langchain_core.language_models.fake_chat_models:FakeListChatModel"
    assert saved["turns"][-1]["text"] == reply
