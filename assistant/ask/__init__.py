"""Answering questions: analysis -> route (tool or retrieval) -> sentence selection -> composition.

    answer_question("DeepSeek-V3 总共有多少参数？", retriever=index, settings=settings) -> Answer

The default path is extractive and deterministic: computations go to the calculators in ``tools`` with their
formula shown; everything else is answered by quoting the best sentences of the retrieved passages, each with a
citation whose offsets point into the document, or with ``status="not_found"`` when no sentence is strong
evidence. An optional chat model (``llm``) may phrase the answer and choose tools; every figure it writes is
checked against the cited passages and tool results before it is shown (see ``assistant.ask.llm``).
"""

from __future__ import annotations

from assistant.ask.pipeline import answer_question, extractive_answer

__all__ = ["answer_question", "extractive_answer"]
