// The chat: questions, streamed answers, and the conversation history kept in this browser (localStorage).

import { renderAnswer } from "./answer.js";
import { askStream, ApiError } from "./api.js";
import { $, clear, el } from "./dom.js";
import { lang, t } from "./i18n.js";

const STORE = "ra.conversations.v1";
const MAX_CONVERSATIONS = 40;
const MAX_MESSAGES = 60;
const HISTORY_TURNS = 6; // earlier turns sent with a question (the server reads follow-ups with them)
const HISTORY_ANSWER_CHARS = 4000;

let conversations = load();
let currentId = null;
let busy = false;

function load() {
  try {
    const data = JSON.parse(localStorage.getItem(STORE) || "[]");
    return Array.isArray(data) ? data.filter((c) => c && typeof c.id === "string" && Array.isArray(c.messages)) : [];
  } catch {
    return [];
  }
}

function save() {
  conversations = conversations.slice(0, MAX_CONVERSATIONS);
  for (;;) {
    try {
      localStorage.setItem(STORE, JSON.stringify(conversations));
      return;
    } catch {
      // Storage full: forget the oldest conversation and try again.
      if (conversations.length <= 1) return;
      conversations.pop();
    }
  }
}

function current() {
  return conversations.find((c) => c.id === currentId) ?? null;
}

function newId() {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function errorText(err) {
  if (err instanceof ApiError && err.status === 0) return t("network_error");
  return `${t("error")}: ${err.message || err.type}`;
}

function userBubble(text) {
  return el("div", { class: "msg user" }, el("div", { class: "bubble" }, text));
}

function assistantBubble(message) {
  let inner;
  try {
    inner = message.answer ? renderAnswer(message.answer, lang()) : el("p", { class: "error" }, message.error ?? "");
  } catch (err) {
    // One malformed stored answer must not break the whole conversation view.
    console.warn("cannot render answer", err);
    inner = el("p", { class: "error" }, `${t("error")}: ${message.answer?.text ?? ""}`);
  }
  return el("div", { class: "msg assistant" }, el("div", { class: "bubble" }, inner));
}

function welcome() {
  const example = (key) =>
    el("button", { class: "example", type: "button", onclick: () => ask(t(key)) }, t(key));
  return el(
    "div",
    { class: "welcome" },
    el("h2", {}, t("welcome_title")),
    el("p", { class: "muted" }, t("welcome_body")),
    el("p", { class: "examples" }, el("span", { class: "muted" }, `${t("examples")}: `), example("example_1"), example("example_2")),
  );
}

function renderMessages() {
  const list = $("#messages");
  const conv = current();
  if (!conv || !conv.messages.length) {
    clear(list, welcome());
    return;
  }
  clear(list, conv.messages.map((m) => (m.role === "user" ? userBubble(m.text) : assistantBubble(m))));
  list.scrollTop = list.scrollHeight;
}

function renderHistory() {
  const list = $("#history-list");
  if (!conversations.length) {
    clear(list, el("li", { class: "muted empty" }, t("no_history")));
    return;
  }
  clear(
    list,
    conversations.map((c) =>
      el(
        "li",
        { class: c.id === currentId ? "active" : "" },
        el("button", { class: "history-item", type: "button", title: c.title, onclick: () => select(c.id) }, c.title),
        el("button", { class: "history-delete", type: "button", title: t("delete"), "aria-label": t("delete"), onclick: () => remove(c.id) }, "×"),
      ),
    ),
  );
}

function select(id) {
  if (busy) return;
  currentId = id;
  renderHistory();
  renderMessages();
}

function remove(id) {
  conversations = conversations.filter((c) => c.id !== id);
  if (currentId === id) currentId = null;
  save();
  renderHistory();
  renderMessages();
}

export function newChat() {
  if (busy) return;
  currentId = null;
  renderHistory();
  renderMessages();
  $("#question").focus();
}

/** The conversation's answered turns, oldest first, as the API's history: [{question, answer}]. */
function turns(conv) {
  const out = [];
  conv.messages.forEach((m, i) => {
    const next = conv.messages[i + 1];
    if (m.role === "user" && next?.role === "assistant" && next.answer && typeof next.answer.text === "string") {
      // The question as it was read, so a chain of follow-ups keeps its subject.
      const question = next.answer.read_as || m.text;
      out.push({ question, answer: next.answer.text.slice(0, HISTORY_ANSWER_CHARS) });
    }
  });
  return out.slice(-HISTORY_TURNS);
}

function stageText(ev) {
  const secs = ev.elapsed_ms >= 1000 ? ` · ${(ev.elapsed_ms / 1000).toFixed(0)} s` : "";
  if (ev.stage === "found") return `${t("stage_found", { n: ev.passages ?? 0 })}${secs}`;
  if (ev.stage === "reading" && ev.read_as) return `${t("read_as")}: ${ev.read_as}${secs}`;
  return `${t(`stage_${ev.stage}`)}${secs}`;
}

function record(conv, message) {
  conv.messages.push(message);
  conv.messages = conv.messages.slice(-MAX_MESSAGES);
  conv.updated = Date.now();
  // The active conversation moves to the top of the list.
  conversations = [conv, ...conversations.filter((c) => c.id !== conv.id)];
  save();
}

/** Ask a question in the current conversation, streaming the answer in. */
export async function ask(question) {
  question = question.trim();
  if (!question || busy) return;
  busy = true;
  $("#send").disabled = true;
  let conv = current();
  const history = conv ? turns(conv) : [];
  if (!conv) {
    conv = { id: newId(), title: question.slice(0, 80), messages: [], updated: Date.now() };
    currentId = conv.id;
  }
  record(conv, { role: "user", text: question });
  renderHistory();
  renderMessages();

  const status = el("p", { class: "stage" }, t("stage_accepted"));
  const streamed = el("p", { class: "answer-text streaming" });
  const bubble = el("div", { class: "bubble" }, status, streamed);
  const list = $("#messages");
  list.append(el("div", { class: "msg assistant pending" }, bubble));
  list.scrollTop = list.scrollHeight;

  let answer = null;
  let failure = null;
  try {
    await askStream(question, {
      stage: (ev) => {
        status.textContent = stageText(ev);
        status.dataset.stage = ev.stage;
      },
      delta: (ev) => {
        streamed.append(ev.text);
        list.scrollTop = list.scrollHeight;
      },
      answer: (a) => {
        answer = a;
      },
      error: (err) => {
        failure = err;
      },
    }, undefined, history);
  } catch (err) {
    failure = err;
  }
  if (!answer && !failure) failure = new ApiError(0, "network", "");
  record(conv, answer ? { role: "assistant", answer } : { role: "assistant", error: errorText(failure) });
  busy = false;
  $("#send").disabled = false;
  refreshChat();
}

export function refreshChat() {
  renderHistory();
  renderMessages();
}

export function initChat() {
  const form = $("#composer");
  const input = $("#question");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = input.value;
    input.value = "";
    ask(q);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  $("#new-chat").addEventListener("click", newChat);
  refreshChat();
}
