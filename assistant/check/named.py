"""Comparisons a sentence states between two named subjects whose figures the draft gives, recomputed exactly:
"Borealis is 33% cheaper than Aurora", "Eastgate used 12T tokens, 33% more than Northwind", "Y 比 X 贵 20%",
"A 是 B 的 3 倍", "Cedar's is three times the size of Pine's".

The comparison names its two subjects; each subject's figure is the one its name owns: a figure owns the name
of the two said last before it in the figure's own clause ("甲公司的数据中心耗电 120 兆瓦，乙公司为 150 兆瓦"), in
the comparison's sentence or the one before it. A comparison is read only when each name owns exactly one
figure of one kind (the same currency, or the same unit dimension); any doubt (a name owning two figures, two
kinds that both fit) leaves it unread, and figures of different subjects are never read as one quantity.

- "A is P% more (higher, larger, above, ...) than B": P = (A − B) / B; "P% less (lower, cheaper, below, ...)": P =
  (B − A) / B, and the words must say the direction the figures have; "P% more efficient", "faster" name a quality
  the figures may measure inversely (watts, seconds): not read, and by no other relation either;
- "A is N times B" ("N times as large as B", "N times B's", "A 是 B 的 N 倍"): N = A / B ("N times more" is read
  both ways).
"""

from __future__ import annotations

import re

from assistant.check.quantities import Qty
from assistant.check.recompute import Check, ok_within, record, rel, same_kind, show

# a subject's name: a word with a capital or a digit ("Helix-2", "Aurora", "H100"), a single capital ("A"), a
# Chinese placeholder name ("甲", "乙")
_NAME = r"(?:[A-Z][A-Za-z0-9.-]*[A-Za-z0-9]|[A-Z]|[甲乙丙丁])"
_POSS = r"(?:['’]s)?"
_MORE = r"more expensive|costlier|pricier|more|higher|larger|bigger|greater|longer|heavier|wider|above|over"
_LESS = r"less expensive|less|lower|smaller|fewer|cheaper|shorter|lighter|narrower|below|under"
# "more efficient", "more powerful": a quality the figures may measure inversely (watts for efficiency)
_OTHER = r"(?:more|less)\s+[a-z]+"
_ZH_MORE = "高|多|贵|大|长|重"
_ZH_LESS = "低|少|便宜|小|短|轻|节省"
_HEDGE = r"(?:about|roughly|around|nearly|some|approximately|约|大约|近)?\s*"
# English: "Borealis is 33% cheaper than Aurora", "..., 33% more than Northwind"
_EN_AFTER = re.compile(
    rf"\s*(?:(?P<more>{_MORE})|(?P<less>{_LESS})|(?P<other>{_OTHER}))\s+(?:than\s+)?(?:that of\s+|those of\s+|the\s+)?"
    rf"(?P<b>{_NAME}){_POSS}(?![A-Za-z0-9])"
)
_EN_TIMES_AFTER = re.compile(
    rf"\s*(?:times|x|×|-fold)\s+(?:(?P<more>more|larger|bigger|higher|greater)\s+than\s+|as\s+\w+\s+as\s+|"
    rf"the\s+\w+\s+of\s+|that\s+of\s+)?(?:the\s+)?(?P<b>{_NAME}){_POSS}(?![A-Za-z0-9])"
)
_EN_SUBJECT = re.compile(
    rf"(?P<a>{_NAME}){_POSS}\s+(?:\w+\s+)?(?:is|was|are|were|runs|costs|sits|comes in)\s+{_HEDGE}$|"
    rf"(?:makes?|making|leaves?|leaving|puts?|putting)\s+(?P<a2>{_NAME}){_POSS}\s+{_HEDGE}$|"
    rf"(?:^|[,;]\s*|\band\s+|\bwhile\s+|\bbut\s+|\bso\s+)(?P<a3>{_NAME}){_POSS}\s+(?:[a-z]+\s+){{0,2}}{_HEDGE}$"
)  # "…, and Nova 20% less than Pulsar", "; Pulsar earned 25% more than Nova": the clause's subject
# Chinese: "Y 比 X 贵 20%", "甲比乙低 20%", "A 的价格比 B 低 50%", "A 是 B 的 3 倍"
_ZH_BEFORE = re.compile(
    rf"(?P<a>{_NAME})\s*(?:[\u4e00-\u9fff]{{0,4}}?的?[\u4e00-\u9fff]{{0,4}}?)?\s*[比较]\s*(?P<b>{_NAME})\s*(?:[\u4e00-\u9fff]{{0,4}}?的?[\u4e00-\u9fff]{{0,4}}?)?"
    rf"(?:(?P<more>{_ZH_MORE})|(?P<less>{_ZH_LESS}))(?:了|出)?\s*{_HEDGE}$"
)
_ZH_TIMES_BEFORE = re.compile(
    rf"(?P<a>{_NAME})\s*(?:[\u4e00-\u9fff]{{0,4}}?的[\u4e00-\u9fff]{{0,4}})?\s*(?:是|为)\s*(?P<b>{_NAME})\s*(?:[\u4e00-\u9fff]{{0,4}}?)?的\s*{_HEDGE}$"
)
_CLAUSE = re.compile(r"[，,；;。!?！？]|\.\s")


def _occurrences(text: str, name: str, lo: int, hi: int) -> list[int]:
    """Where ``name`` is written in ``text[lo:hi]`` as a word of its own (end positions)."""
    edge = r"(?<![A-Za-z0-9])" if name[0].isascii() else ""
    tail = r"(?![A-Za-z0-9])" if name[-1].isascii() else ""
    return [m.end() for m in re.finditer(edge + re.escape(name) + tail, text[lo:hi])]


def _owner(text: str, q: Qty, names: tuple[str, str], lo: int) -> str | None:
    """Which of ``names`` is said last before ``q`` in its clause (None: neither)."""
    clause_lo = max([lo] + [m.end() for m in _CLAUSE.finditer(text, lo, q.start)])
    best: tuple[int, str] | None = None
    for name in names:
        for end in _occurrences(text, name, clause_lo, q.start):
            if best is None or clause_lo + end > best[0]:
                best = (clause_lo + end, name)
    return best[1] if best else None


def _kin(a: Qty, b: Qty) -> bool:
    """One kind of quantity: the same currency or unit, or one left unlabelled ("4.5 trillion tokens and Pine's has
    1.8 trillion"); a price per something may leave out what the other says it is per."""
    kind = same_kind(a, b) or (a.bare and not b.money) or (b.bare and not a.money)
    return kind and (a.per_keys <= b.per_keys or b.per_keys <= a.per_keys)


def _figures(text: str, qs: list[Qty], names: tuple[str, str], lo: int, before: int) -> tuple[Qty, Qty] | bool:
    """The one figure each name owns, both of one kind, said before the comparison at ``before``; else whether
    both names own figures (which of them are compared is then in doubt)."""
    owned: dict[str, list[Qty]] = {names[0]: [], names[1]: []}
    for q in qs:
        if q.start >= before or q.tok.pct or q.multiple or q.word or q.value <= 0:
            continue
        who = _owner(text, q, names, lo)
        if who is not None:
            owned[who].append(q)
    pairs = [(a, b) for a in owned[names[0]] for b in owned[names[1]] if _kin(a, b)]
    if len(pairs) != 1:
        return bool(pairs)
    a, b = pairs[0]
    kind_a = [q for q in owned[names[0]] if _kin(q, b)]
    kind_b = [q for q in owned[names[1]] if _kin(a, q)]
    return (a, b) if len(kind_a) == 1 and len(kind_b) == 1 else True


def _subject(text: str, r: Qty, qs: list[Qty], lo: int) -> str | None:
    """The first subject of an English comparison: the name right before the percentage ("Borealis is 33%
    cheaper"), else the owner of the figure right before it in its clause ("Eastgate used 12T tokens, 33% more")."""
    m = _EN_SUBJECT.search(text, max(lo, r.start - 40), r.start)
    if m:
        return m.group("a") or m.group("a2") or m.group("a3")
    prev = [q for q in qs if q.start < r.start and not q.tok.pct and not q.multiple]
    if not prev or re.search(r"[。;；!?！？]|\.\s", text[prev[-1].end : r.start]) or len(text[prev[-1].end : r.start]) > 12:
        return None
    clause_lo = max([lo] + [m.end() for m in _CLAUSE.finditer(text, lo, prev[-1].start)])
    found = list(re.finditer(rf"(?P<a>{_NAME}){_POSS}(?![A-Za-z0-9])", text[clause_lo : prev[-1].start]))
    return found[-1].group("a") if found else None


def _statement(text: str, r: Qty, qs: list[Qty], lo: int) -> tuple[str | None, str, str] | None:
    """(A, B, "more" / "less" / "times") a comparison around ``r`` states, or None."""
    before = text[max(lo, r.start - 40) : r.start]
    if r.tok.pct:
        m = _EN_AFTER.match(text, r.tok.end)
        if m and m.group("other") and re.match(r"\s*(?:US)?[$€£¥￥]?\d", text[m.end() : m.end() + 8]):
            return None  # "more efficient than the H100's 3.35 TB/s": the base figure follows, read by ``changes``
        if m and (m.group("other") or " than " in m.group(0) or m.group("more") in {"above", "over"} or m.group("less") in {"below", "under"}):
            a = _subject(text, r, qs, lo)
            how = "other" if m.group("other") else "more" if m.group("more") else "less"
            return (a, m.group("b"), how) if a or how == "other" else None
        z = _ZH_BEFORE.search(before)
        if z:
            return z.group("a"), z.group("b"), "more" if z.group("more") else "less"
    elif r.multiple:
        m = _EN_TIMES_AFTER.match(text, r.tok.end)
        if m:
            a = _subject(text, r, qs, lo)
            return (a, m.group("b"), "more" if m.group("more") else "times") if a else None
        z = _ZH_TIMES_BEFORE.search(before)
        if z:
            return z.group("a"), z.group("b"), "times"
    return None


def find_named(text: str, qs: list[Qty], lo: int) -> tuple[list[Check], set[int]]:
    """Every comparison of two named subjects in the sentence ending ``qs`` (``qs`` may start with the sentence
    before's figures; ``lo`` is where the earliest of them may be read), and where the stated figures of those
    whose names own no single figure each start: such a figure is said of the names, so no other relation reads
    it."""
    out: list[Check] = []
    unread: set[int] = set()
    for r in qs:
        if not (r.tok.pct or r.multiple) or r.per:
            continue
        said = _statement(text, r, qs, lo)
        if said is None:
            continue
        a_name, b_name, how = said
        if how == "other":
            unread.add(r.start)  # a quality the figures may measure inversely: read by no relation
            continue
        if a_name is None or a_name == b_name:
            continue
        pair = _figures(text, qs, (a_name, b_name), lo, r.start)
        if isinstance(pair, bool):
            if pair:
                unread.add(r.start)  # in doubt which figures the names own
            continue
        a, b = pair
        ratio = a.value / b.value
        slack = ratio * rel(a, b)
        if how == "times":
            ok = ok_within(ratio, r, slack)
            out.append(record(text, (a, b, r), r, ratio, "ratio", f"{show(a, text)} / {show(b, text)}", ok))
            continue
        if r.multiple:  # "N times more than B": read as A / B or as A / B − 1
            ok = ok_within(ratio, r, slack) or ok_within(ratio - 1, r, slack)
            out.append(record(text, (a, b, r), r, ratio, "ratio", f"{show(a, text)} / {show(b, text)}", ok))
            continue
        change = ratio - 1 if how == "more" else 1 - ratio
        ok = change > 0 and ok_within(change, r, slack)
        if how == "more":
            shown = f"({show(a, text)} − {show(b, text)}) / {show(b, text)}"
        else:
            shown = f"({show(b, text)} − {show(a, text)}) / {show(b, text)}"
        out.append(record(text, (a, b, r), r, change, "percentage_change", shown, ok))
    return out, unread
