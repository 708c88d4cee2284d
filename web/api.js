// Talking to the server: JSON calls, the upload, and the answer stream (server-sent events over a POST).

const TOKEN_KEY = "ra.token";

export class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

function headers(extra = {}) {
  const token = localStorage.getItem(TOKEN_KEY);
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

export function saveToken(token) {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized = () => {};
/** Called with no arguments whenever the server answers 401. */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

async function failure(response) {
  let type = "http_error";
  let message = `HTTP ${response.status}`;
  try {
    const body = await response.json();
    if (body && body.error) ({ type, message } = body.error);
  } catch {
    /* not JSON: keep the status line */
  }
  if (response.status === 401) onUnauthorized();
  return new ApiError(response.status, type, message);
}

async function request(method, path, body) {
  const init = { method, headers: headers() };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network", "");
  }
  if (!response.ok) throw await failure(response);
  return response.json();
}

async function requestText(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: headers({ "Content-Type": "application/json" }),
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "");
  }
  if (!response.ok) throw await failure(response);
  return response.text();
}

function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(new ApiError(0, "network", ""));
    reader.readAsDataURL(blob);
  });
}

export const api = {
  health: () => request("GET", "/healthz"),
  ask: (question) => request("POST", "/api/ask", { question }),
  check: (text) => request("POST", "/api/check", { text }),
  documents: () => request("GET", "/api/documents"),
  documentText: (id, start, end) => {
    const q = new URLSearchParams();
    if (start !== undefined) q.set("start", String(Math.max(0, Math.floor(start))));
    if (end !== undefined) q.set("end", String(Math.max(0, Math.floor(end))));
    return request("GET", `/api/documents/${encodeURIComponent(id)}/text?${q}`);
  },
  /** A PDF page as a PNG data URL, the span [start, end) marked when given. */
  pageImage: async (id, page, start, end) => {
    const q = new URLSearchParams();
    if (start !== undefined && end !== undefined) {
      q.set("start", String(Math.max(0, Math.floor(start))));
      q.set("end", String(Math.max(0, Math.floor(end))));
    }
    let response;
    try {
      response = await fetch(`/api/documents/${encodeURIComponent(id)}/pages/${Math.floor(page)}?${q}`, { headers: headers() });
    } catch {
      throw new ApiError(0, "network", "");
    }
    if (!response.ok) throw await failure(response);
    return dataUrl(await response.blob());
  },
  exportAnswer: (answer) => requestText("/api/export/answer", answer),
  exportCheck: (report) => requestText("/api/export/check", report),
  upload: (file) => {
    const form = new FormData();
    form.append("file", file, file.name);
    return request("POST", "/api/documents", form);
  },
};

/**
 * Ask with a streamed answer. handlers: {stage(ev), delta(ev), answer(answer), error(ApiError)}; ``history`` is
 * the conversation's earlier turns [{question, answer}], oldest first.
 * Resolves when the stream ends; the AbortSignal stops it.
 */
export async function askStream(question, handlers, signal, history = []) {
  let response;
  try {
    response = await fetch("/api/ask/stream", {
      method: "POST",
      headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
      body: JSON.stringify(history.length ? { question, history } : { question }),
      signal,
    });
  } catch (err) {
    if (err.name === "AbortError") return;
    throw new ApiError(0, "network", "");
  }
  if (!response.ok) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      dispatch(buffer.slice(0, cut), handlers);
      buffer = buffer.slice(cut + 2);
    }
  }
  if (buffer.trim()) dispatch(buffer, handlers);
}

function dispatch(frame, handlers) {
  let event = "message";
  const data = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  if (!data.length) return;
  const payload = JSON.parse(data.join("\n"));
  if (event === "error") {
    handlers.error?.(new ApiError(200, payload.error.type, payload.error.message));
  } else {
    handlers[event]?.(payload);
  }
}
