// UI text in English and Chinese. Elements carrying data-i18n="key" are refreshed when the language changes.

const STRINGS = {
  en: {
    brand: "Research Assistant",
    tab_chat: "Chat",
    tab_check: "Check a draft",
    tab_docs: "Documents",
    lang_toggle: "中文",
    new_chat: "New chat",
    history: "Conversations",
    no_history: "No conversations yet.",
    delete: "Delete",
    ask_placeholder: "Ask about AI models, chips, training costs… (Enter to send, Shift+Enter for a new line)",
    send: "Ask",
    welcome_title: "Ask the documents",
    welcome_body: "Answers quote the sources they come from. Click a [number] to read the passage in context.",
    examples: "Try",
    example_1: "How many tokens was DeepSeek-V3 trained on?",
    example_2: "DeepSeek-V3 的训练成本是多少？",
    stage_accepted: "Question received",
    stage_searching: "Searching the documents",
    stage_writing: "Writing the answer",
    stage_done: "Done",
    not_found: "The documents do not answer this.",
    related: "Closest passages",
    sources: "Sources",
    tool_result: "Calculation",
    formula: "Formula",
    inputs: "Inputs",
    result: "Result",
    tool_sources: "Based on",
    page: "p.",
    row: "row",
    source: "Source",
    close: "Close",
    loading: "Loading…",
    quote_missing: "The quoted passage was not found at its recorded place; showing the surrounding text.",
    check_title: "Check a draft",
    check_help: "Paste a draft. Each figure is marked: green = supported by a source, red = contradicted, grey = could not be verified.",
    check_placeholder: "Paste your draft here…",
    check_button: "Check figures",
    checking: "Checking…",
    verdict_supported: "Supported",
    verdict_contradicted: "Contradicted",
    verdict_unverifiable: "Unverifiable",
    source_says: "Source says",
    evidence: "Evidence",
    arithmetic: "Arithmetic in the draft",
    consistent: "consistent",
    inconsistent: "inconsistent",
    stated: "stated",
    computed: "computed",
    no_figures: "No checkable figures found.",
    summary: "{supported} supported · {contradicted} contradicted · {unverifiable} unverifiable",
    docs_title: "Documents",
    upload: "Upload a file",
    upload_help: "PDF, HTML, Markdown, text or CSV. The file is indexed on this machine.",
    uploading: "Uploading and indexing…",
    uploaded: "Indexed: {title}",
    upload_known: "Already indexed (same content).",
    filter_docs: "Filter by title or source",
    col_title: "Title",
    col_kind: "Type",
    col_lang: "Language",
    col_date: "Date",
    col_size: "Size",
    n_docs: "{n} documents",
    chars: "{n} chars",
    pages: "{n} pages",
    no_docs: "No documents indexed yet.",
    load_more: "Show more",
    token_needed: "This server needs an access token.",
    token_save: "Save token",
    token_label: "Access token",
    error: "Error",
    network_error: "The server could not be reached.",
    seeding: "Indexing the bundled documents… answers may be incomplete until it finishes.",
    chart_scenarios: "Projection: low / mid / high",
    price: "price",
    per: "x axis:",
    chart_stages: "Split by stage",
    copy: "Copy",
  },
  zh: {
    brand: "研究助手",
    tab_chat: "问答",
    tab_check: "核查草稿",
    tab_docs: "文档",
    lang_toggle: "EN",
    new_chat: "新对话",
    history: "对话记录",
    no_history: "还没有对话。",
    delete: "删除",
    ask_placeholder: "询问 AI 模型、芯片、训练成本……（回车发送，Shift+回车换行）",
    send: "提问",
    welcome_title: "向文档提问",
    welcome_body: "回答会引用出处。点击 [编号] 可在原文上下文中查看引文。",
    examples: "试试",
    example_1: "How many tokens was DeepSeek-V3 trained on?",
    example_2: "DeepSeek-V3 的训练成本是多少？",
    stage_accepted: "已收到问题",
    stage_searching: "正在检索文档",
    stage_writing: "正在组织回答",
    stage_done: "完成",
    not_found: "文档中没有找到答案。",
    related: "最相关的段落",
    sources: "出处",
    tool_result: "计算",
    formula: "公式",
    inputs: "输入",
    result: "结果",
    tool_sources: "依据",
    page: "第",
    row: "行",
    source: "来源",
    close: "关闭",
    loading: "加载中……",
    quote_missing: "在记录的位置没有找到引文，下面显示其上下文。",
    check_title: "核查草稿",
    check_help: "粘贴草稿，每个数字都会被标注：绿色 = 有出处支持，红色 = 与出处矛盾，灰色 = 无法核实。",
    check_placeholder: "在此粘贴草稿……",
    check_button: "核查数字",
    checking: "核查中……",
    verdict_supported: "有支持",
    verdict_contradicted: "有矛盾",
    verdict_unverifiable: "无法核实",
    source_says: "出处写的是",
    evidence: "证据",
    arithmetic: "草稿中的算术",
    consistent: "一致",
    inconsistent: "不一致",
    stated: "文中",
    computed: "计算",
    no_figures: "没有找到可核查的数字。",
    summary: "{supported} 个有支持 · {contradicted} 个有矛盾 · {unverifiable} 个无法核实",
    docs_title: "文档",
    upload: "上传文件",
    upload_help: "PDF、HTML、Markdown、文本或 CSV，文件在本机建立索引。",
    uploading: "正在上传并建立索引……",
    uploaded: "已索引：{title}",
    upload_known: "已有相同内容的文档。",
    filter_docs: "按标题或来源筛选",
    col_title: "标题",
    col_kind: "类型",
    col_lang: "语言",
    col_date: "日期",
    col_size: "大小",
    n_docs: "共 {n} 篇文档",
    chars: "{n} 字",
    pages: "{n} 页",
    no_docs: "还没有索引任何文档。",
    load_more: "显示更多",
    token_needed: "此服务器需要访问令牌。",
    token_save: "保存令牌",
    token_label: "访问令牌",
    error: "出错",
    network_error: "无法连接服务器。",
    seeding: "正在索引内置文档……完成前回答可能不完整。",
    chart_scenarios: "预测：低 / 中 / 高",
    price: "价格",
    per: "横轴：",
    chart_stages: "按阶段拆分",
    copy: "复制",
  },
};

const saved = localStorage.getItem("ra.lang");
const browserZh = (navigator.language || "").toLowerCase().startsWith("zh");
let current = saved === "zh" || saved === "en" ? saved : browserZh ? "zh" : "en";
const listeners = [];

export function lang() {
  return current;
}

/** The text for key in the current language, with {name} placeholders filled from vars. */
export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

export function setLang(next) {
  current = next === "zh" ? "zh" : "en";
  localStorage.setItem("ra.lang", current);
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  applyI18n();
  for (const fn of listeners) fn(current);
}

export function onLangChange(fn) {
  listeners.push(fn);
}

/** Refresh every element marked with data-i18n (text) or data-i18n-placeholder / data-i18n-title. */
export function applyI18n(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of root.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
}
