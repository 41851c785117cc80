// nextround's page: a view on the local server's API. No library, nothing loaded from elsewhere.
// Text from the server is always set with textContent (never parsed as HTML).
"use strict";

(function () {
  const TOKEN = document.querySelector('meta[name="nextround-token"]').content;
  const CONVERSATION = { feedback: "feedback meeting", career: "career talk" };
  const SVG = "http://www.w3.org/2000/svg";
  let current = null;      // the rehearsal in progress: {session_id, counterpart, ...}
  let lastReport = null;   // the session dict of the rehearsal just ended
  let busy = false;

  // --- small helpers ---------------------------------------------------------------------------------------------

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
    }
    return node;
  }

  // replaceChildren() would print "null" for a missing part: keep only the parts that exist.
  function fill(node, ...children) {
    node.replaceChildren(...children.filter((child) => child !== null && child !== undefined && child !== false));
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
    }
    return node;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = !message;
  }

  async function failureText(response) {
    const type = response.headers.get("content-type") || "";
    if (type.includes("application/json")) {
      const data = await response.json();
      return data.error || "Something went wrong; try again.";
    }
    const text = (await response.text()).trim();
    return text || "Something went wrong; try again.";
  }

  async function api(method, path, body) {
    const options = { method, headers: { "X-Nextround-Token": TOKEN }, credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, options);
    } catch (err) {
      throw new Error("The page cannot reach nextround; check that `nextround web` is still running.");
    }
    if (!response.ok) throw new Error(await failureText(response));
    return response.json();
  }

  // Server-sent events over a POST (EventSource can only GET): "event: NAME\ndata: JSON\n\n" blocks.
  async function postEvents(path, body, onEvent) {
    let response;
    try {
      response = await fetch(path, {
        method: "POST", credentials: "same-origin",
        headers: { "X-Nextround-Token": TOKEN, "Content-Type": "application/json", "Accept": "text/event-stream" },
        body: JSON.stringify(body),
      });
    } catch (err) {
      throw new Error("The page cannot reach nextround; check that `nextround web` is still running.");
    }
    if (!response.ok) throw new Error(await failureText(response));
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).trim());
        }
        onEvent(name, data.length ? JSON.parse(data.join("\n")) : null);
      }
    }
  }

  function setBusy(value) {
    busy = value;
    for (const id of ["say-button", "hint-button", "retry-button", "end-button"]) $(id).disabled = value;
    $("say-form").setAttribute("aria-busy", value ? "true" : "false");
  }

  // --- views -----------------------------------------------------------------------------------------------------

  const TITLES = {
    choose: "Practise a conversation", rehearse: "Practice", report: "How it went", history: "Your progress",
    session: "A past session", plan: "Your plan", new: "Write your own scenario",
  };

  function show(view) {
    for (const section of document.querySelectorAll("[data-view]")) section.hidden = section.id !== "view-" + view;
    for (const link of document.querySelectorAll("[data-nav]")) {
      if (link.dataset.nav === view) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    document.title = TITLES[view] + " · nextround";
  }

  async function route() {
    showError("");
    const hash = location.hash || "#/";
    const parts = hash.replace(/^#\/?/, "").split("/");
    const view = parts[0] || "choose";
    try {
      if (view === "choose") { show("choose"); await loadScenarios(); }
      else if (view === "rehearse") {
        if (!current) { location.hash = "#/"; return; }
        show("rehearse");
        $("say-text").focus();
        return;
      } else if (view === "report") {
        if (!lastReport) { location.hash = "#/history"; return; }
        show("report");
      } else if (view === "history") { show("history"); await loadHistory(); }
      else if (view === "session") { show("session"); await loadSession(parts[1]); }
      else if (view === "plan") { show("plan"); await loadPlan(); }
      else if (view === "new") { show("new"); await refreshDefaults(); }
      else { location.hash = "#/"; return; }
    } catch (err) {
      showError(err.message);
    }
    $("main").focus();
  }

  // --- choose ----------------------------------------------------------------------------------------------------

  let scenarios = [];

  async function loadScenarios() {
    const data = await api("GET", "/api/scenarios");
    scenarios = data.scenarios;
    for (const kind of ["feedback", "career"]) {
      const select = $("scenario-" + kind);
      const keep = select.value;
      select.replaceChildren();
      for (const s of scenarios.filter((row) => row.kind === kind && !row.error)) {
        const label = s.source === "built-in" ? `${s.title} (${s.name})` : `Yours: ${s.title} (${s.name})`;
        select.append(el("option", { value: s.name }, label));
      }
      if (keep && [...select.options].some((o) => o.value === keep)) select.value = keep;
      describeChoice(kind);
    }
    const open = (await api("GET", "/api/open")).open;
    fill($("resume-list"), ...open.map((o) => {
      const go = el("button", { type: "button", class: "secondary" },
        `Continue session ${o.session_id}: ${o.title}`);
      go.addEventListener("click", () => resume(o).catch((err) => showError(err.message)));
      return el("li", {}, go);
    }));
    $("resume").hidden = !open.length;
    const broken = scenarios.filter((row) => row.error);
    if (broken.length) showError(`Your scenario “${broken[0].name}” cannot be used: ${broken[0].error}`);
  }

  function describeChoice(kind) {
    const name = $("scenario-" + kind).value;
    const s = scenarios.find((row) => row.name === name);
    $("note-" + kind).textContent = s ? `You talk to ${s.counterpart}, ${s.role}. ${s.insights} things to find out.` : "";
  }

  function enterRehearsal(opened, lines) {
    current = opened;
    $("r-title").textContent = opened.title;
    $("r-description").textContent = opened.description;
    $("r-who").textContent = `You are talking to ${opened.counterpart.name}, ${opened.counterpart.role}.`;
    fill($("transcript"), ...lines);
    $("r-hint").hidden = true;
    $("say-text").value = "";
    setStatus(opened.candor, opened.insights.found, opened.insights.total);
    setBusy(false);
    location.hash = "#/rehearse";
  }

  async function start(name) {
    showError("");
    const opened = await api("POST", "/api/sessions", { scenario: name });
    enterRehearsal(opened, [themLine(opened.counterpart.name, opened.opening)]);
  }

  // A session whose tab was closed: its transcript comes back from the store, and it goes on where it stopped.
  async function resume(opened) {
    showError("");
    const saved = await api("GET", `/api/sessions/${opened.session_id}`);
    enterRehearsal(opened, transcriptLines(saved));
  }

  // --- rehearse --------------------------------------------------------------------------------------------------

  function setStatus(candor, found, total) {
    $("r-candor").value = candor;
    $("r-candor").setAttribute("aria-valuetext", `${candor} out of 100`);
    $("r-candor-text").textContent = String(candor);
    $("r-insights").textContent = `Insights found: ${found} of ${total}`;
  }

  function themLine(name, text) {
    return el("li", { class: "them" }, el("span", { class: "who" }, name + ":"),
      el("span", { class: "line-text" }, text));
  }

  function badge(tone) {
    return el("span", { class: `badge tone-${tone.label}` }, `Tone ${tone.score} · ${tone.label}`);
  }

  function flagList(tone) {
    const items = [];
    for (const flag of tone.flags || []) {
      items.push(el("li", { class: "flag" },
        el("span", { class: "flag-category" }, `${flag.category}: `),
        `“${flag.phrase}” — ${flag.why}`,
        flag.better ? el("div", {}, el("span", { class: "better" }, "Try: "), flag.better) : null));
    }
    if (tone.rewrite) {
      items.push(el("li", { class: "rewrite" }, el("span", { class: "better" }, "The whole line, said better: "),
        tone.rewrite));
    }
    return items.length ? el("ul", { class: "flags", "aria-label": "What landed badly, and a better way" }, ...items) : null;
  }

  function arrow(before, after) {
    const delta = after - before;
    if (delta > 0) return `candor ${after}, up ${delta}`;
    if (delta < 0) return `candor ${after}, down ${-delta}`;
    return `candor ${after}, unchanged`;
  }

  function youLine(text) {
    return el("li", { class: "you" }, el("span", { class: "who" }, "You:"), el("span", { class: "line-text" }, text),
      el("div", { class: "verdict" }, el("span", { class: "change typing" }, "reading your line")));
  }

  async function say(text) {
    if (busy || !current) return;
    const command = text.trim().toLowerCase();
    if (command === "/hint") { $("say-text").value = ""; return hint(); }
    if (command === "/retry") { $("say-text").value = ""; return retry(); }
    if (["/end", "/quit", "/exit"].includes(command)) { $("say-text").value = ""; return end(); }
    if (command === "/help" || command === "/?") {
      showHint("Use the buttons: Hint suggests what to ask next, Retry takes back your last line, End shows the report.");
      $("say-text").value = "";
      return;
    }
    if (!text.trim()) { showError("Type a line first."); return; }
    showError("");
    $("r-hint").hidden = true;
    setBusy(true);
    const mine = youLine(text.trim());
    const list = $("transcript");
    list.append(mine);
    let theirs = null;
    try {
      await postEvents(`/api/sessions/${current.session_id}/say`, { text }, (name, data) => {
        if (name === "decision") {
          mine.querySelector(".line-text").textContent = data.text;
          const verdict = mine.querySelector(".verdict");
          fill(verdict, badge(data.tone),
            el("span", { class: "change" }, arrow(data.candor_before, data.candor_after)),
            data.truncated ? el("p", { class: "help" }, "Your line was very long: only its beginning was used.") : null,
            flagList(data.tone));
          setStatus(data.candor_after, data.insights.found, data.insights.total);
          $("say-text").value = "";
        } else if (name === "token") {
          if (!theirs) {
            theirs = themLine(current.counterpart.name, "");
            theirs.classList.add("typing");
            list.append(theirs);
          }
          theirs.querySelector(".line-text").textContent += data.text;
        } else if (name === "reply") {
          if (!theirs) { theirs = themLine(current.counterpart.name, ""); list.append(theirs); }
          theirs.classList.remove("typing");
          theirs.querySelector(".line-text").textContent = data.text;
        } else if (name === "failure") {
          showError(data.error);
          current = null;
        }
      });
    } catch (err) {
      showError(err.message);
    } finally {
      if (current) setBusy(false);
      mine.scrollIntoView({ block: "nearest" });
      if (current) $("say-text").focus();
    }
  }

  function showHint(text) {
    $("r-hint").textContent = text;
    $("r-hint").hidden = false;
  }

  async function hint() {
    if (busy || !current) return;
    try {
      const data = await api("POST", `/api/sessions/${current.session_id}/hint`);
      showHint("Hint: " + data.hint);
    } catch (err) { showError(err.message); }
  }

  async function retry() {
    if (busy || !current) return;
    try {
      const data = await api("POST", `/api/sessions/${current.session_id}/retry`);
      if (data.undone === null) { showHint("Nothing to take back yet."); return; }
      // Mark the last line of yours and the reply it got as taken back (kept on screen, no longer counted).
      const items = [...$("transcript").children];
      const lastYou = items.map((li) => li.classList.contains("you") && !li.classList.contains("rephrased")).lastIndexOf(true);
      for (const li of items.slice(lastYou)) {
        if (li.classList.contains("rephrased")) continue;
        li.classList.add("rephrased");
        li.prepend(el("span", { class: "change" }, "Taken back · "));
      }
      setStatus(data.candor, data.insights.found, data.insights.total);
      $("say-text").value = data.undone;
      showHint(`Taken back. Candor is ${data.candor} again; say it another way.`);
      $("say-text").focus();
    } catch (err) { showError(err.message); }
  }

  async function end() {
    if (busy || !current) return;
    setBusy(true);
    try {
      const data = await api("POST", `/api/sessions/${current.session_id}/end`);
      if (data.closing) $("transcript").append(themLine(current.counterpart.name, data.closing));
      lastReport = data.session;
      current = null;
      renderReport($("report"), lastReport, data.closing);
      location.hash = "#/report";
    } catch (err) {
      showError(err.message);
      setBusy(false);
    }
  }

  // --- the report --------------------------------------------------------------------------------------------------

  function toneBars(scores, label) {
    const width = Math.max(200, scores.length * 36 + 40), height = 140;
    const chart = svg("svg", { class: "chart bars", viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
      "aria-label": label });
    chart.append(svg("title", {}, label));
    chart.append(svg("line", { class: "axis", x1: 30, y1: 110, x2: width - 5, y2: 110 }));
    scores.forEach((score, i) => {
      const h = Math.max(2, score * 0.9);
      const x = 36 + i * 36;
      chart.append(svg("rect", { class: "bar", x, y: 110 - h, width: 24, height: h }));
      chart.append(svg("text", { x: x + 12, y: 104 - h, "text-anchor": "middle" }, score));
      chart.append(svg("text", { x: x + 12, y: 126, "text-anchor": "middle" }, i + 1));
    });
    return chart;
  }

  function renderReport(container, session, closing) {
    const s = session.summary;
    const parts = [];
    parts.push(el("p", { class: "lead" }, `${session.title}: practised with ${session.counterpart}.`));
    if (closing) parts.push(el("p", {}, el("span", { class: "who" }, session.counterpart_name + ":"), closing));
    parts.push(el("dl", {},
      el("dt", {}, "Your lines"), el("dd", {}, String(s.user_turns)),
      el("dt", {}, "Mean tone"), el("dd", {}, s.mean_tone === null ? "no lines scored" : `${s.mean_tone} out of 100`),
      el("dt", {}, "Candor"), el("dd", {}, `${s.start_candor} at the start, ${s.final_candor} at the end`),
      el("dt", {}, "Insights found"), el("dd", { class: "insights-found" }, `${s.insights_found} of ${s.insights_total}`),
      el("dt", {}, "Lines flagged"), el("dd", {}, String(s.flagged_turns))));
    if (s.tone_over_turns.length) {
      parts.push(el("h2", {}, "Tone over the turns"));
      parts.push(toneBars(s.tone_over_turns, "Tone of each of your lines, in order: " + s.tone_over_turns.join(", ")));
      parts.push(el("p", { class: "help" }, "One bar per line you said, in order; higher is more collaborative."));
    }
    if (s.best) parts.push(el("h2", {}, `Best line (${s.best.score})`), el("p", {}, `“${s.best.text}”`));
    if (s.worst && s.worst.score !== (s.best && s.best.score)) {
      parts.push(el("h2", {}, `Weakest line (${s.worst.score})`), el("p", {}, `“${s.worst.text}”`));
      if (s.worst.better) parts.push(el("p", {}, el("span", { class: "better" }, "Better: "), s.worst.better));
    }
    parts.push(el("h2", {}, `Insights found: ${s.insights_found} of ${s.insights_total}`));
    if (s.found.length) parts.push(el("ul", { class: "found" }, ...s.found.map((f) => el("li", {}, f.title))));
    if (s.missed.length) {
      parts.push(el("h3", {}, "Not found yet, and the question that would open each"));
      parts.push(el("ul", { class: "missed" }, ...s.missed.map((m) => el("li", {}, el("strong", {}, m.title), " — ", m.ask_hint))));
    }
    container.replaceChildren(el("div", { class: "report" }, ...parts));
  }

  // --- history -----------------------------------------------------------------------------------------------------

  function historyChart(rows) {
    const oldest = [...rows].reverse().filter((r) => r.mean_tone !== null);
    const width = 640, height = 260, left = 40, right = 16, top = 16, bottom = 40;
    const label = "Mean tone of each session, oldest to newest: " +
      oldest.map((r) => `${r.conversation} ${r.mean_tone}`).join(", ");
    const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label });
    chart.append(svg("title", {}, "Tone over time"));
    const x = (i) => left + (oldest.length <= 1 ? (width - left - right) / 2 : i * (width - left - right) / (oldest.length - 1));
    const y = (v) => top + (100 - v) * (height - top - bottom) / 100;
    for (const v of [0, 25, 50, 75, 100]) {
      chart.append(svg("line", { class: "grid", x1: left, y1: y(v), x2: width - right, y2: y(v) }));
      chart.append(svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, v));
    }
    chart.append(svg("line", { class: "axis", x1: left, y1: y(0), x2: width - right, y2: y(0) }));
    chart.append(svg("text", { x: left, y: height - 8 }, "sessions, oldest to newest"));
    for (const kind of ["feedback", "career"]) {
      const points = oldest.map((r, i) => [r, i]).filter(([r]) => r.conversation === kind);
      if (!points.length) continue;
      chart.append(svg("polyline", {
        class: `series-${kind}`, fill: "none", "stroke-width": 2,
        points: points.map(([r, i]) => `${x(i)},${y(r.mean_tone)}`).join(" "),
      }));
      for (const [r, i] of points) {
        const dot = svg("circle", { class: `series-${kind}`, cx: x(i), cy: y(r.mean_tone), r: 5 });
        dot.append(svg("title", {}, `Session ${r.session_id}, ${r.date}: ${kind}, mean tone ${r.mean_tone}`));
        chart.append(dot);
      }
    }
    return chart;
  }

  async function loadHistory() {
    const data = await api("GET", "/api/sessions");
    const rows = data.sessions;
    if (!rows.length) {
      $("history-chart").replaceChildren(el("p", {}, "No sessions yet. ", el("a", { href: "#/" }, "Start one"), "."));
      $("history-table").replaceChildren();
      return;
    }
    const legend = el("ul", { class: "legend" },
      el("li", {}, el("span", { class: "swatch swatch-feedback" }), "Feedback meeting"),
      el("li", {}, el("span", { class: "swatch swatch-career" }), "Career talk"));
    $("history-chart").replaceChildren(el("h2", {}, "Tone over time"), historyChart(rows), legend);
    const head = el("tr", {}, ...["Session", "Date", "Conversation", "Your lines", "Mean tone", "Insights", "Candor", "Status"]
      .map((h, i) => el("th", { scope: "col", class: i === 0 || (i >= 3 && i <= 6) ? "num" : null }, h)));
    const body = rows.map((r) => el("tr", {},
      el("td", { class: "num" }, el("a", { href: `#/session/${r.session_id}` }, `Open ${r.session_id}`)),
      el("td", {}, r.date),
      el("td", {}, `${CONVERSATION[r.conversation] || r.conversation} (${r.scenario})`),
      el("td", { class: "num" }, String(r.turns)),
      el("td", { class: "num" }, r.mean_tone === null ? "—" : String(r.mean_tone)),
      el("td", { class: "num" }, `${r.insights_found} of ${r.insights_total}`),
      el("td", { class: "num" }, `${r.start_candor} → ${r.final_candor === null ? "—" : r.final_candor}`),
      el("td", {}, r.status)));
    $("history-table").replaceChildren(el("h2", {}, "Sessions"),
      el("div", { class: "table-wrap" }, el("table", {}, el("thead", {}, head), el("tbody", {}, ...body))));
  }

  function transcriptLines(session) {
    return session.turns.map((t) => {
      const li = t.role === "user" ? youLine(t.text) : themLine(session.counterpart_name, t.text);
      if (t.role === "user") {
        fill(li.querySelector(".verdict"), badge(t.tone), el("span", { class: "change" }, `candor ${t.candor}`),
          flagList(t.tone));
      }
      if (t.rephrased) { li.classList.add("rephrased"); li.prepend(el("span", { class: "change" }, "Taken back · ")); }
      return li;
    });
  }

  async function loadSession(id) {
    const data = await api("GET", `/api/sessions/${encodeURIComponent(id)}`);
    $("s-title").textContent = `Session ${data.session_id}: ${data.title}`;
    $("s-meta").textContent = `Practised with ${data.counterpart} · ${data.started_at.slice(0, 16).replace("T", " ")} · ${data.status}`;
    $("s-transcript").replaceChildren(...transcriptLines(data));
    renderReport($("s-report"), data, null);
  }

  // --- plan --------------------------------------------------------------------------------------------------------

  function planQuery(format) {
    const query = new URLSearchParams({ format });
    if ($("plan-latest").checked) query.set("latest", "1");
    return "/api/plan?" + query.toString();
  }

  function evidence(e) {
    const who = e.speaker === "you" ? "you" : `${e.speaker || "the other person"} in practice`;
    return el("blockquote", {}, el("p", {}, `“${e.quote}”`),
      el("p", { class: "source" }, `— ${who}, session ${e.session_id}, turn ${e.turn}`),
      e.asked ? el("p", { class: "source" }, `You had asked: “${e.asked}”`) : null);
  }

  function action(a, n) {
    return el("li", {},
      el("h3", {}, a.action),
      el("p", {}, el("strong", {}, "By " + a.due), ` · ${a.area}`),
      a.condition ? el("p", {}, el("em", {}, a.condition)) : null,
      el("p", {}, el("strong", {}, "First step: "), a.first_step),
      el("p", {}, el("strong", {}, "You'll know it's done when: "), a.measure),
      a.ask.length ? el("div", {}, el("p", {}, el("strong", {}, "Ask, in these words:")),
        el("ol", {}, ...a.ask.map((q) => el("li", {}, `“${q.question}”`,
          el("div", { class: "source" }, q.practice || "Not reached in practice."))))) : null,
      a.bring.length ? el("div", {}, el("p", {}, el("strong", {}, "Bring:")), el("ul", {}, ...a.bring.map((b) => el("li", {}, b)))) : null,
      a.rephrase.length ? el("div", {}, el("p", {}, el("strong", {}, "Say it better:")),
        el("ul", {}, ...a.rephrase.map((r) => el("li", {}, `“${r.said}” → `, el("span", { class: "better" }, `“${r.better}”`))))) : null,
      el("p", { class: "source" }, "From: " + a.sources.join(", ")));
  }

  async function loadPlan() {
    $("plan-md").href = planQuery("md");
    $("plan-ics").href = planQuery("ics");
    const box = $("plan");
    box.replaceChildren(el("p", { class: "change typing" }, "Building your plan"));
    let data;
    try {
      data = await api("GET", planQuery("json"));
    } catch (err) {
      box.replaceChildren(el("p", {}, err.message));
      for (const id of ["plan-md", "plan-ics"]) $(id).hidden = true;
      return;
    }
    for (const id of ["plan-md", "plan-ics"]) $(id).hidden = false;
    const plan = data.plan;
    const parts = [];
    if (data.warning) parts.push(el("p", { class: "hint" }, data.warning));
    parts.push(el("h2", {}, "Sessions used"));
    if (plan.selection) parts.push(el("p", {}, plan.selection.note));
    parts.push(el("ul", {}, ...plan.sessions.map((s) => el("li", {},
      el("a", { href: `#/session/${s.session_id}` }, `Session ${s.session_id}`),
      `: ${CONVERSATION[s.kind] || s.kind} with ${s.counterpart_name}, ${s.started_at.slice(0, 10)}, ${s.insights_found} of ${s.insights_total} insights`))));
    if (plan.notes.length) parts.push(el("h2", {}, "Notes"), el("ul", {}, ...plan.notes.map((n) => el("li", {}, n))));
    parts.push(el("h2", {}, "Take stock"));
    for (const a of plan.take_stock) {
      parts.push(el("h3", {}, a.question, " ", el("span", { class: a.known ? "known" : "open" }, a.known ? "(practice suggested)" : "(still open)")));
      parts.push(el("p", {}, a.answer));
      for (const e of a.evidence) parts.push(evidence(e));
      if (a.ask_next) parts.push(el("p", {}, el("strong", {}, "Ask next: "), `“${a.ask_next}”`));
    }
    parts.push(el("h2", {}, "Decision"), el("p", {}, el("strong", {}, plan.decision.path + ": "), plan.decision.why));
    parts.push(el("h2", {}, "Actions"));
    parts.push(plan.actions.length ? el("ol", { class: "actions" }, ...plan.actions.map(action)) : el("p", {}, "No actions yet."));
    if (plan.later.length) {
      parts.push(el("h2", {}, "Later"), el("ul", {}, ...plan.later.map((a) => el("li", {}, `${a.action} (by ${a.due})`))));
    }
    parts.push(el("h2", {}, "Milestones"));
    parts.push(el("ul", {}, ...plan.milestones.map((m) => el("li", {}, el("strong", {}, `${m.due}: ${m.title}`),
      m.items.length ? el("ul", {}, ...m.items.map((i) => el("li", {}, i))) : null))));
    const c = plan.check_in;
    parts.push(el("h2", {}, "Check-in"), el("p", {}, `${c.date} with ${c.with}:`), el("ul", {}, ...c.agenda.map((i) => el("li", {}, i))));
    box.replaceChildren(el("div", { class: "plan" }, ...parts));
  }

  // --- your own scenario -------------------------------------------------------------------------------------------

  function newKind() { return document.querySelector('input[name="kind"]:checked').value; }

  async function refreshDefaults() {
    const kind = newKind();
    const who = kind === "feedback" ? "The hiring manager's" : "Your manager's";
    $("new-person-label").textContent = `${who} name`;
    $("new-person-role-label").textContent = `${who} job title`;
    const query = new URLSearchParams({ kind, role_applied: $("new-role").value, field: $("new-field").value });
    const d = await api("GET", "/api/scenario-defaults?" + query.toString());
    $("new-field").placeholder = d.field ? `blank: ${d.field}` : "blank: general words";
    $("new-person").placeholder = `blank: ${d.counterpart_name}`;
    $("new-person-role").placeholder = `blank: ${d.counterpart_role}`;
    $("new-name").placeholder = `blank: ${d.name}`;
  }

  async function writeScenario(form) {
    showError("");
    const data = Object.fromEntries(new FormData(form).entries());
    data.replace = $("new-replace").checked;
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    $("new-result").replaceChildren(el("p", { class: "change typing" }, "Writing your scenario"));
    try {
      const made = await api("POST", "/api/scenarios", data);
      const go = el("button", { type: "button" }, `Practise “${made.name}” now`);
      go.addEventListener("click", () => start(made.name).catch((err) => showError(err.message)));
      fill($("new-result"),
        made.warning ? el("p", { class: "hint" }, made.warning) : null,
        el("p", {}, `Written: your scenario “${made.name}” for the ${CONVERSATION[made.kind]} (${made.how}, ${made.field} words).`),
        go);
      go.focus();
    } catch (err) {
      $("new-result").replaceChildren();
      showError(err.message);
    } finally {
      button.disabled = false;
    }
  }

  // --- wiring ------------------------------------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", () => {
    for (const form of document.querySelectorAll(".start-form")) {
      const kind = form.closest("[data-kind]").dataset.kind;
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        start($("scenario-" + kind).value).catch((err) => showError(err.message));
      });
      $("scenario-" + kind).addEventListener("change", () => describeChoice(kind));
    }
    $("say-form").addEventListener("submit", (event) => { event.preventDefault(); say($("say-text").value); });
    $("say-text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        say($("say-text").value);
      }
    });
    $("hint-button").addEventListener("click", hint);
    $("retry-button").addEventListener("click", retry);
    $("end-button").addEventListener("click", end);
    $("plan-latest").addEventListener("change", () => loadPlan().catch((err) => showError(err.message)));
    $("new-form").addEventListener("submit", (event) => { event.preventDefault(); writeScenario(event.target); });
    for (const id of ["new-kind-feedback", "new-kind-career", "new-role", "new-field"]) {
      $(id).addEventListener("change", () => refreshDefaults().catch((err) => showError(err.message)));
    }
    api("GET", "/api/info").then((info) => {
      $("mode").textContent = info.uses_model
        ? `The other person's words come from a model (${info.model}); your lines are sent to it.`
        : "Offline: the other person speaks lines from the scenario, and nothing leaves this computer.";
    }).catch(() => {});
    window.addEventListener("hashchange", route);
    route();
  });
})();
