// Entry point: tabs, language toggle, the access-token bar, and a notice while the corpus is being indexed.

import { api, saveToken, setUnauthorizedHandler } from "./api.js";
import { initChat, refreshChat } from "./chat.js";
import { initCheck, refreshCheck } from "./check.js";
import { initDocs, loadDocuments, refreshDocs } from "./docs.js";
import { $ } from "./dom.js";
import { applyI18n, lang, onLangChange, setLang } from "./i18n.js";
import { closePanel, initPanel } from "./panel.js";

const VIEWS = ["chat", "check", "docs"];

function showView(name) {
  if (!VIEWS.includes(name)) name = "chat";
  for (const v of VIEWS) {
    $(`#view-${v}`).hidden = v !== name;
    const tab = $(`#tab-${v}`);
    tab.classList.toggle("active", v === name);
    tab.setAttribute("aria-selected", String(v === name));
  }
  if (name === "docs") loadDocuments();
}

function initTabs() {
  for (const v of VIEWS) {
    $(`#tab-${v}`).addEventListener("click", () => {
      history.replaceState(null, "", `#${v}`);
      closePanel();
      showView(v);
    });
  }
  window.addEventListener("hashchange", () => showView(location.hash.slice(1)));
  showView(location.hash.slice(1));
}

function initToken() {
  const bar = $("#token-bar");
  setUnauthorizedHandler(() => {
    bar.hidden = false;
    $("#token-input").focus();
  });
  $("#token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    saveToken($("#token-input").value.trim());
    $("#token-input").value = "";
    bar.hidden = true;
  });
}

async function watchSeeding() {
  const notice = $("#notice");
  try {
    const health = await api.health();
    notice.hidden = !health.seeding;
    if (health.seeding) setTimeout(watchSeeding, 5000);
  } catch {
    notice.hidden = true;
  }
}

function init() {
  document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en";
  applyI18n();
  $("#lang-toggle").addEventListener("click", () => setLang(lang() === "zh" ? "en" : "zh"));
  onLangChange(() => {
    refreshChat();
    refreshCheck();
    refreshDocs();
  });
  initPanel();
  initToken();
  initChat();
  initCheck();
  initDocs();
  initTabs();
  watchSeeding();
  document.body.classList.add("ready");
}

init();
