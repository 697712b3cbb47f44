// The demo page: plain JavaScript, no build step. Every panel is a real request to the
// server; "model produced" comes from the demo's trace endpoint (see example_app/tape.py).
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function newTraceId() {
  return "t" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
}

function userId() {
  const select = $("#user");
  return select && select.value ? select.value : "u1";
}

async function fetchTrace(id) {
  const response = await fetch("/demo/trace/" + id);
  if (!response.ok) return [];
  return (await response.json()).calls;
}

// Mark the spans the scanner found in the model's output, and later the same values
// wherever they reached the client.
function markSpans(text, spans) {
  let html = "";
  let last = 0;
  for (const span of spans) {
    if (span.start < last) continue;
    html += escapeHtml(text.slice(last, span.start));
    html += `<mark class="leak" title="${escapeHtml(span.kind)}">${escapeHtml(text.slice(span.start, span.end))}</mark>`;
    last = span.end;
  }
  return html + escapeHtml(text.slice(last));
}

function markValues(text, values) {
  let html = escapeHtml(text);
  for (const value of values) {
    if (!value) continue;
    const escaped = escapeHtml(value);
    html = html.split(escaped).join(`<mark class="leak">${escaped}</mark>`);
  }
  return html.replace(/\[REDACTED:[a-z_]+\]/g, (label) => `<mark class="redacted">${label}</mark>`);
}

function leakedValues(calls) {
  const values = [];
  for (const call of calls) {
    for (const span of call.spans || []) values.push(call.output.slice(span.start, span.end));
  }
  return values;
}

function showPrompt(pre, calls) {
  if (!calls.length) {
    pre.textContent = "(nothing was sent: the model was not called)";
    return;
  }
  pre.textContent = calls[0].prompt.map((m) => `${m.role}: ${m.content}`).join("\n\n");
}

function showModel(pre, calls) {
  if (!calls.length) {
    pre.textContent = "(not called)";
    return;
  }
  const call = calls[0];
  let html = markSpans(call.output, call.spans || []);
  if (!call.finished) html += '<span class="cut">the shield closed the model\'s stream here</span>';
  pre.innerHTML = html;
}

function prettyBody(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 1);
  } catch (e) {
    return text;
  }
}

// -- 1. four routes ---------------------------------------------------------------------

async function runCard(card) {
  const trace = newTraceId();
  const status = $(".status", card);
  status.textContent = "…";
  status.className = "status";
  const response = await fetch(card.dataset.path + encodeURIComponent(userId()), {
    headers: { "X-Demo-Trace": trace },
  });
  const body = prettyBody(await response.text());
  const calls = await fetchTrace(trace);
  status.textContent = `${response.status} ${response.ok ? "OK" : response.statusText || "refused"}`;
  status.className = "status " + (response.ok ? "ok" : "err");
  showPrompt($(".prompt", card), calls);
  showModel($(".model-out", card), calls);
  $(".client", card).innerHTML = markValues(body, leakedValues(calls));
  card.dataset.done = String(response.status);
}

async function runRoutes() {
  await Promise.all($$(".card").map(runCard));
}

async function runAccessor() {
  const response = await fetch("/accessor/ssn/" + encodeURIComponent(userId()));
  const result = $("#accessor-result");
  result.textContent = `${response.status} ${await response.text()}`;
}

// -- 2. streaming chat ------------------------------------------------------------------

// Each exchange (question, then answer) goes on top of the transcript.
function addTurn(exchange, who, text) {
  const turn = document.createElement("div");
  turn.className = "turn " + who;
  turn.innerHTML = `<div class="who">${who === "user" ? "you" : "assistant"}</div><div class="text"></div>`;
  $(".text", turn).textContent = text;
  exchange.appendChild(turn);
  return turn;
}

// Read a server-sent event stream from a fetch() response (EventSource only does GET).
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trim());
      }
      if (data.length) onEvent(name, JSON.parse(data.join("\n")));
    }
  }
}

async function sendChat(message) {
  const mode = $("input[name=mode]:checked").value;
  const exchange = document.createElement("div");
  exchange.className = "exchange";
  $("#transcript").prepend(exchange);
  addTurn(exchange, "user", `${message}   [${mode} mode]`);
  const turn = addTurn(exchange, "assistant", "");
  turn.classList.add("waiting");
  turn.dataset.mode = mode;
  const textEl = $(".text", turn);
  const trace = newTraceId();
  const response = await fetch(mode === "redact" ? "/chat/stream/redact" : "/chat/stream", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Demo-Trace": trace },
    body: JSON.stringify({ message, user_id: userId() }),
  });
  let text = "";
  if (!response.ok) {
    const body = await response.json();
    const why = (body.reasons || []).concat((body.findings || []).map((f) => f.kind)).join(", ");
    textEl.innerHTML = `<span class="refused">${response.status}: ${escapeHtml(body.error)}${why ? " (" + escapeHtml(why) + ")" : ""}</span>`;
    turn.dataset.outcome = "refused";
  } else {
    turn.dataset.outcome = "complete";
    await readEvents(response, (name, data) => {
      if (name === "error") {
        const cut = document.createElement("span");
        cut.className = "cut";
        cut.textContent = `✂ stream cut by flask-llm-shield: ${(data.kinds || []).join(", ") || "error"}`;
        turn.appendChild(cut);
        turn.dataset.outcome = "cut";
      } else if (typeof data.text === "string") {
        text += data.text;
        textEl.innerHTML = markValues(text, []);
      }
    });
  }
  turn.classList.remove("waiting");
  const calls = await fetchTrace(trace);
  const details = document.createElement("details");
  details.innerHTML = "<summary>What the model produced</summary><pre class=\"model-out\"></pre>";
  showModel($("pre", details), calls);
  turn.appendChild(details);
  turn.dataset.done = "true";
}

// -- 3. attacks -------------------------------------------------------------------------

async function runAttack(row) {
  const screened = $("#screening").checked;
  const trace = newTraceId();
  const response = await fetch(screened ? "/chat" : "/attack/unscreened", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Demo-Trace": trace },
    body: JSON.stringify({ message: row.dataset.prompt, user_id: userId() }),
  });
  const body = await response.json();
  const result = $(".result", row);
  if (body.reasons) {
    result.innerHTML = `<span class="refused">${response.status} input rejected</span><br><code>${escapeHtml(body.reasons.join(", "))}</code>`;
  } else if (body.findings) {
    result.innerHTML = `<span class="refused">${response.status} reply blocked</span><br><code>${escapeHtml(body.findings.map((f) => f.kind).join(", "))}</code>`;
  } else {
    result.innerHTML = `<span class="status ok">${response.status}</span> ${escapeHtml((body.reply || body.error || "").slice(0, 160))}…`;
  }
  const calls = await fetchTrace(trace);
  showModel($(".model-out", row), calls);
  row.dataset.done = String(response.status);
}

// -- live event feed --------------------------------------------------------------------

const TONES = {
  "leak-detected": "bad",
  "response-blocked": "stop",
  "stream-terminated": "stop",
  "prompt-rejected": "stop",
  "prompt-value-refused": "stop",
  "sensitive-field-denied": "stop",
  "scan-failed": "stop",
  "response-redacted": "fix",
};

function showEvent(event) {
  const li = document.createElement("li");
  const details = [];
  if (event.mode) details.push(event.mode);
  if (event.outcome) details.push(event.outcome);
  if (event.reasons && event.reasons.length) details.push(event.reasons.join(", "));
  if (event.fields) details.push(`${event.collection}: ${event.fields.join(", ")}`);
  if (event.field) details.push(`${event.collection}.${event.field} dropped`);
  if (event.reason) details.push(event.reason);
  if (event.kinds) details.push(event.kinds.join(", "));
  if (event.source === "app") details.push("reported by the app");
  const findings = (event.findings || [])
    .map((f) => `<span class="finding">${escapeHtml(f.kind)} ${escapeHtml(f.path || "")} #${escapeHtml(f.fingerprint)}</span>`)
    .join("");
  li.innerHTML =
    `<span class="sig ${TONES[event.signal] || "info"}">${escapeHtml(event.signal)}</span> ` +
    `<span class="meta">${escapeHtml(event.time)} · ${escapeHtml(event.endpoint || "-")}` +
    `${details.length ? " · " + escapeHtml(details.join(" · ")) : ""}</span>${findings}`;
  li.dataset.signal = event.signal;
  $("#events").prepend(li);
}

function connectFeed() {
  const state = $("#feed-state");
  const source = new EventSource("/events");
  source.onopen = () => {
    state.textContent = "live";
    state.className = "dot live";
  };
  source.onerror = () => {
    state.textContent = "reconnecting";
    state.className = "dot";
  };
  source.addEventListener("shield", (message) => showEvent(JSON.parse(message.data)));
}

// -- wiring -----------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  connectFeed();
  $("#run-routes").addEventListener("click", runRoutes);
  $("#run-accessor").addEventListener("click", runAccessor);
  $("#user").addEventListener("change", () => {
    $$(".uid").forEach((el) => (el.textContent = userId()));
  });
  $$(".uid").forEach((el) => (el.textContent = userId()));
  $("#chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("#chat-input");
    if (input.value.trim()) sendChat(input.value.trim());
    input.value = "";
  });
  $$(".suggestion").forEach((button) =>
    button.addEventListener("click", () => sendChat(button.dataset.message)),
  );
  $$("table.attacks tbody tr").forEach((row) =>
    $(".attack", row).addEventListener("click", () => runAttack(row)),
  );
});
