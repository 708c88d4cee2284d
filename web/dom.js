// DOM building without HTML strings. Every piece of text from a document, a question or the server goes in
// as a text node, so markup inside it (a <script>, an onerror= image) is shown as characters, never parsed.

const SVG_NS = "http://www.w3.org/2000/svg";
const SAFE_ATTR = /^(class|id|title|type|role|tabindex|for|name|value|placeholder|accept|rows|lang|hidden|disabled|href|target|rel|colspan|alt|download|readonly|data-[a-z-]+|aria-[a-z-]+)$/;
// An image source is only ever a PNG the page fetched itself and turned into a data URL.
const SAFE_SRC = /^data:image\/png;base64,[A-Za-z0-9+/=]+$/;

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setAttrs(node, attrs, allowed) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "text") {
      node.textContent = String(value);
    } else if (allowed(key)) {
      node.setAttribute(key, value === true ? "" : String(value));
    } else {
      throw new Error(`attribute not allowed: ${key}`);
    }
  }
}

/** Create an HTML element: el("p", {class: "x"}, "text", child). Strings become text nodes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs, (k) => SAFE_ATTR.test(k) || (k === "src" && tag === "img" && SAFE_SRC.test(String(attrs.src))));
  return append(node, children);
}

/** Create an SVG element; attributes are geometry and presentation only. */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs, (k) => /^[a-z][a-z0-9-]*$/i.test(k) && !k.startsWith("on") && k !== "href");
  return append(node, children);
}

/** Replace all children of a node. */
export function clear(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** A link only for http(s) URLs; anything else (javascript:, data:) is shown as plain text. */
export function safeLink(url, label) {
  if (typeof url === "string" && /^https?:\/\//i.test(url)) {
    return el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, label ?? url);
  }
  return el("span", {}, label ?? url ?? "");
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** Format a number compactly for tables: 5576000 -> "5,576,000"; 0.123456 -> "0.1235". */
export function fmtNumber(value, lang) {
  if (typeof value !== "number" || !Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 1 ? 2 : 4;
  return value.toLocaleString(lang === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: digits });
}
