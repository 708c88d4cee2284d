// Small charts drawn as inline SVG from a calculator's result: a price path with low/mid/high scenarios as a
// line chart with a band, and a cost split by stage as bars. Shapes are recognised by their fields, not by name.

import { el, fmtNumber, svg } from "./dom.js";
import { t } from "./i18n.js";

const X_KEYS = ["year", "date", "month", "quarter", "period", "t", "step", "x"];
const LABEL_KEYS = ["stage", "name", "label", "phase", "category", "item", "component"];
const VALUE_HINT = /cost|usd|price|value|amount|total|share|hours/i;

const NUMERIC = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i;
/** Numbers arrive as JSON numbers or, for exact decimals, as numeric strings ("5576000.00"). */
export const toNum = (v) => (typeof v === "number" ? v : typeof v === "string" && NUMERIC.test(v.trim()) ? Number(v) : NaN);
const isNum = (v) => Number.isFinite(toNum(v));
const numericKeys = (row, skip) => Object.keys(row).filter((k) => k !== skip && isNum(row[k]));

function objectArrays(result) {
  return Object.entries(result).filter(
    ([, v]) => Array.isArray(v) && v.length >= 2 && v.every((r) => r && typeof r === "object" && !Array.isArray(r)),
  );
}

/**
 * A compounding path: {path: [p0, p1, ...]} and optionally scenarios [{name, change}] with a start price, each
 * scenario redrawn as start × (1 + change)^i so the chart shows the whole low/mid/high band.
 */
function fromPath(result) {
  const path = result.path;
  if (!Array.isArray(path) || path.length < 2 || !path.every(isNum)) return null;
  const xs = path.map((_, i) => i);
  const startKey = Object.keys(result).find((k) => k.startsWith("start") && isNum(result[k]));
  const start = startKey ? toNum(result[startKey]) : toNum(path[0]);
  const scenarios = Array.isArray(result.scenarios) ? result.scenarios.filter((s) => s && isNum(s.change)) : [];
  const series = {};
  if (scenarios.length >= 2) {
    for (const s of scenarios) series[String(s.name)] = xs.map((i) => start * (1 + toNum(s.change)) ** i);
  } else {
    series[result.per ? `${t("price")}` : "path"] = path.map(toNum);
  }
  return { xs, series, xLabel: result.per ? String(result.per) : "" };
}

/** {x, series: {name: [y...]}} from a scenarios object: {low: [...], mid: [...], high: [...]}. */
function fromScenarios(result) {
  const sc = result.scenarios;
  if (!sc || typeof sc !== "object" || Array.isArray(sc)) return null;
  const names = Object.keys(sc).filter((k) => Array.isArray(sc[k]) || Array.isArray(sc[k]?.path));
  if (names.length < 2) return null;
  const series = {};
  let xs = null;
  for (const name of names) {
    const list = Array.isArray(sc[name]) ? sc[name] : sc[name].path;
    if (list.every(isNum)) {
      series[name] = list.map(toNum);
    } else if (list.every((r) => r && typeof r === "object")) {
      const xKey = X_KEYS.find((k) => k in list[0]);
      const yKey = numericKeys(list[0], xKey).find((k) => VALUE_HINT.test(k)) ?? numericKeys(list[0], xKey)[0];
      if (!yKey) return null;
      series[name] = list.map((r) => toNum(r[yKey]));
      if (xKey && !xs) xs = list.map((r) => r[xKey]);
    } else return null;
  }
  const n = Math.max(...Object.values(series).map((s) => s.length));
  xs = xs ?? result.years ?? Array.from({ length: n }, (_, i) => i);
  return { xs, series };
}

/** {x, series} from an array of rows that have an x field and numeric columns (e.g. year, low, mid, high). */
function fromRows(result) {
  for (const [, rows] of objectArrays(result)) {
    const xKey = X_KEYS.find((k) => rows.every((r) => k in r));
    if (!xKey) continue;
    const keys = numericKeys(rows[0], xKey).filter((k) => rows.every((r) => isNum(r[k])));
    if (!keys.length) continue;
    const series = {};
    for (const k of keys) series[k] = rows.map((r) => toNum(r[k]));
    return { xs: rows.map((r) => r[xKey]), series };
  }
  return null;
}

/** [{label, value}] from a name -> number object ({"pre-training": "5328000.00", ...}); cost-like names first. */
function fromDict(result) {
  const dicts = Object.entries(result).filter(
    ([, v]) => v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length >= 2 && Object.values(v).every(isNum),
  );
  dicts.sort(([a], [b]) => Number(/cost|usd/i.test(b)) - Number(/cost|usd/i.test(a)));
  if (!dicts.length) return null;
  const [key, obj] = dicts[0];
  return { key, parts: Object.entries(obj).map(([label, v]) => ({ label, value: toNum(v) })) };
}

/** [{label, value}] from an array of rows with a label field and a numeric column (e.g. stage, cost_usd). */
function fromParts(result) {
  for (const [, rows] of objectArrays(result)) {
    const labelKey = LABEL_KEYS.find((k) => rows.every((r) => typeof r[k] === "string"));
    if (!labelKey) continue;
    const keys = numericKeys(rows[0], labelKey).filter((k) => rows.every((r) => isNum(r[k])));
    const key = keys.find((k) => /cost|usd/i.test(k)) ?? keys.find((k) => VALUE_HINT.test(k)) ?? keys[0];
    if (key) return { key, parts: rows.map((r) => ({ label: r[labelKey], value: toNum(r[key]) })) };
  }
  return null;
}

function niceTicks(lo, hi, count = 4) {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  // From the tick at or below lo up to the first tick at or above hi, so every value lies between the ends.
  const ticks = [];
  let v = Math.floor(lo / step) * step;
  for (;;) {
    ticks.push(+v.toPrecision(12));
    if (v >= hi - step * 1e-9 || ticks.length > 50) break;
    v += step;
  }
  return ticks;
}

function lineChart({ xs, series }, lang) {
  const W = 520, H = 240, L = 56, R = 84, T = 16, B = 30;
  const all = Object.values(series).flat();
  const lo = Math.min(0, ...all);
  const ticks = niceTicks(lo, Math.max(...all));
  const yMax = ticks[ticks.length - 1] || 1;
  const yMin = Math.min(lo, ticks[0]);
  const n = xs.length;
  const x = (i) => L + (n === 1 ? 0 : (i * (W - L - R)) / (n - 1));
  const y = (v) => T + (H - T - B) * (1 - (v - yMin) / (yMax - yMin || 1));
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img" });
  root.append(svg("title", {}, t("chart_scenarios")));
  root.append(svg("rect", { x: L, y: T, width: W - L - R, height: H - T - B, class: "plot-area" }));
  for (const tick of ticks) {
    root.append(svg("line", { x1: L, x2: W - R, y1: y(tick), y2: y(tick), class: "grid" }));
    root.append(svg("text", { x: L - 6, y: y(tick) + 4, class: "axis", "text-anchor": "end" }, fmtNumber(tick, lang)));
  }
  const every = Math.ceil(n / 8);
  xs.forEach((label, i) => {
    if (i % every === 0 || i === n - 1) {
      root.append(svg("text", { x: x(i), y: H - 10, class: "axis", "text-anchor": "middle" }, String(label)));
    }
  });
  const names = Object.keys(series);
  const [low, high] = [names.find((k) => /low|min|p10|bear/i.test(k)), names.find((k) => /high|max|p90|bull/i.test(k))];
  if (low && high) {
    const top = series[high].map((v, i) => `${x(i)},${y(v)}`);
    const bottom = series[low].map((v, i) => `${x(i)},${y(v)}`).reverse();
    root.append(svg("polygon", { points: [...top, ...bottom].join(" "), class: "band" }));
  }
  let mains = 0;
  const labels = [];
  for (const name of names) {
    // Scenario edges (low/high) share one quiet colour; central lines take the accent, then further colours.
    const edge = /low|min|p10|bear|high|max|p90|bull/i.test(name);
    const colour = edge ? "s0" : `s${1 + (mains++ % 3)}`;
    const points = series[name].map((v, i) => `${x(i)},${y(v)}`).join(" ");
    root.append(svg("polyline", { points, class: `series ${colour}${edge ? " edge" : " main"}` }));
    if (!edge) series[name].forEach((v, i) => root.append(svg("circle", { cx: x(i), cy: y(v), r: 3, class: `dot ${colour}` })));
    const last = series[name][series[name].length - 1];
    labels.push({ y: y(last) + 4, text: `${name} ${fmtNumber(last, lang)}`, colour });
  }
  // End labels are pushed apart so close scenarios stay readable.
  labels.sort((a, b) => a.y - b.y);
  labels.forEach((label, i) => {
    if (i > 0) label.y = Math.max(label.y, labels[i - 1].y + 13);
    root.append(svg("text", { x: W - R + 6, y: label.y, class: `legend ${label.colour}` }, label.text));
  });
  return root;
}

function barChart({ parts }, lang) {
  const W = 520, rowH = 26, L = 150, R = 110, T = 8;
  const H = T * 2 + rowH * parts.length;
  const total = parts.reduce((s, p) => s + Math.max(0, p.value), 0) || 1;
  const max = Math.max(...parts.map((p) => p.value), 0) || 1;
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img" });
  root.append(svg("title", {}, t("chart_stages")));
  parts.forEach((p, i) => {
    const yTop = T + i * rowH;
    const width = Math.max(1, ((W - L - R) * Math.max(0, p.value)) / max);
    const label = p.label.length > 22 ? `${p.label.slice(0, 21)}…` : p.label;
    root.append(svg("text", { x: L - 8, y: yTop + 17, class: "axis", "text-anchor": "end" }, label));
    root.append(svg("rect", { x: L, y: yTop + 5, width, height: rowH - 10, rx: 2, class: "bar s1" }));
    const share = `${fmtNumber(p.value, lang)} (${((100 * Math.max(0, p.value)) / total).toFixed(1)}%)`;
    root.append(svg("text", { x: L + width + 6, y: yTop + 17, class: "legend" }, share));
  });
  return root;
}

/** A chart for a calculator result, or null when a table says it all. */
export function chartFor(result, lang) {
  if (!result || typeof result !== "object") return null;
  const path = fromPath(result) ?? fromScenarios(result) ?? fromRows(result);
  if (path && path.xs.length >= 2) {
    const caption = path.xLabel ? `${t("chart_scenarios")} · ${t("per")} ${path.xLabel}` : t("chart_scenarios");
    return el("figure", { class: "chart-box" }, lineChart(path, lang), el("figcaption", {}, caption));
  }
  const parts = fromDict(result) ?? fromParts(result);
  if (parts && parts.parts.length >= 2) {
    return el("figure", { class: "chart-box" }, barChart(parts, lang), el("figcaption", {}, `${t("chart_stages")} · ${parts.key.replace(/_/g, " ")}`));
  }
  return null;
}
