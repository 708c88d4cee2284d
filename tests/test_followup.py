"""Follow-up questions read with the conversation's earlier turns: subject, quantity and figures carried over.

The names here are made up (no vocabulary lists them): the reading comes from the structure of the turns.
"""

from __future__ import annotations

import pytest

from assistant.ask.followup import MAX_TURNS, Turn, parse_history, resolve
from assistant.errors import InputError, TooLargeError

CASES = [
    # a new subject for the previous quantity
    ("How many parameters does Zorblax-7 have?", "12 billion.", "And Quillon 2?",
     "How many parameters does Quillon 2 have?"),
    ("Zorblax-7 的参数量是多少？", "120 亿", "Quillon 2 呢？", "Quillon 2 的参数量是多少？"),
    ("How many GPU hours did Zorblax-7 training use?", "1.2M GPU hours", "How many did Quillon 2 use?",
     "How many GPU hours did Quillon 2 training use?"),
    # the previous subject, a new quantity
    ("Zorblax-7 模型的总参数量是多少？", "1 万亿", "它的激活参数呢？", "Zorblax-7的激活参数是多少？"),
    ("How many total parameters does Zorblax-7 have?", "12B", "What about its active parameters?",
     "What is Zorblax-7's active parameters?"),
    ("How many H800 GPUs did Zorblax-7's reinforcement learning use?", "512", "How many weeks did it take?",
     "How many weeks did Zorblax-7's reinforcement learning take?"),
    ("How many total parameters does Zorblax-7 have?", "12B", "How many of them are active per token?",
     "How many of Zorblax-7's parameters are active per token?"),
    # a subject that is no name, found by the sentence's shape
    ("How many H800 GPUs did the cluster use?", "2,048", "How many parameters does it have?",
     "How many parameters does the cluster have?"),
    ("中国智算中心的GPU租金是多少？", "每小时 2 美元", "它的显存是多少？", "中国智算中心的显存是多少？"),
    # the figures just computed or given
    ("How many GPU hours did the Zorblax-7 run use?", "It used 1.2M GPU hours [1].",
     "At $3 per GPU hour, what would that cost?", "At $3 per GPU hour, what would 1.2M GPU hours cost?"),
    ("Zorblax-7 每 GPU 小时租金是多少？", "每 GPU 小时 2.5 美元 [1]", "按这个价格，200 万 GPU 小时要花多少钱？",
     "按每 GPU 小时 2.5 美元，200 万 GPU 小时要花多少钱？"),
    ("H800每卡每小时1.8美元，租2048张卡用60天，一共要多少钱？", "5,308,416 美元", "如果用 30 天呢？",
     "H800每卡每小时1.8美元，租2048张卡用30 天，一共要多少钱？"),
    ("If a GPU rents for $2 an hour and the price falls 10% a year, what will it cost in 3 years?", "$1.458",
     "What about 20% a year?",
     "If a GPU rents for $2 an hour and the price falls 20% a year, what will it cost in 3 years?"),
    ("What does 1 million GPU hours cost at $2.50 per GPU hour?", "$2.5M", "And at $3 per GPU hour?",
     "What does 1 million GPU hours cost at $3 per GPU hour?"),
    ("按每 GPU 小时 2 美元计算，Zorblax-7 的训练成本是多少？", "557.6 万美元", "按这个价格算 Quillon 2 呢？",
     "按每 GPU 小时 2 美元计算，Quillon 2 的训练成本是多少？"),
    ("At $2 per GPU hour, what did Zorblax-7 training cost?", "$5.576M", "At that price, what about Quillon 2?",
     "At $2 per GPU hour, what did Quillon 2 training cost?"),
    # one part of the previous question changed: a size, a variant, a qualifier of the same role
    ("How many layers does Zorblax-7 72B have?", "80", "And the 7B one?", "How many layers does Zorblax-7 7B have?"),
    ("Zorblax-34B 的上下文长度是多少？", "4K", "那 6B 的呢？", "Zorblax-6B 的上下文长度是多少？"),
    ("Quillon 2 有多少层？", "40", "那 13B 的呢？", "Quillon 2 13B 有多少层？"),
    ("Quillon 2 的参数量是多少？", "120 亿", "那 Turbo 版本呢？", "Quillon 2-Turbo 的参数量是多少？"),
    ("What is Zorblax-mini's MMLU score?", "70", "And the large one?", "What is Zorblax-large's MMLU score?"),
    ("Zorblax 服务的平均延迟是多少？", "2 秒", "峰值的时候呢？", "Zorblax 服务的峰值延迟是多少？"),
    ("How much memory does Zorblax 70B need in fp16?", "140 GB", "What if it is quantised to int4?",
     "How much memory does Zorblax 70B need in int4?"),
    ("Zorblax 服务的延迟是多少？", "2 秒", "高峰期呢？", "Zorblax 服务的延迟是多少（高峰期）？"),
    ("How many total parameters does Zorblax-7 have?", "12B", "And how many of them are active per token?",
     "How many of Zorblax-7's parameters are active per token?"),
    ("Zorblax-7 的总参数量是多少？", "1 万亿", "其中激活的有多少？", "Zorblax-7的参数量中激活的有多少？"),
    # "how many" with no counted noun counts what the previous question counted
    ("How many total parameters does Zorblax-7 have?", "12B", "And how many are active per token?",
     "How many of Zorblax-7's parameters are active per token?"),
    ("How many H800 GPUs did Zorblax-7's reinforcement learning use?", "512", "How many were idle?",
     "How many of Zorblax-7's H800 GPUs were idle?"),
    # questions that stand on their own stay as they are
    ("Zorblax-7 的参数量是多少？", "120 亿", "中国智算中心的GPU租金是多少？", "中国智算中心的GPU租金是多少？"),
    ("How many tokens was Zorblax-7 trained on?", "9T", "How much did it cost to train Quillon 2?",
     "How much did it cost to train Quillon 2?"),
    ("How many total parameters does Zorblax-7 have?", "12B", "What is this year's revenue of Acme?",
     "What is this year's revenue of Acme?"),
]  # fmt: skip


@pytest.mark.parametrize(("first", "answer", "question", "read_as"), CASES)
def test_follow_up_is_read_with_the_previous_turn(first: str, answer: str, question: str, read_as: str) -> None:
    assert resolve(question, [Turn(question=first, answer=answer)]) == read_as


def test_without_history_the_question_is_unchanged() -> None:
    assert resolve("And Quillon 2?", []) == "And Quillon 2?"


def test_a_chain_of_follow_ups_keeps_its_subject() -> None:
    turns = [
        Turn(question="Zorblax-7 模型的总参数量是多少？", answer="1 万亿"),
        Turn(question="Quillon 2 呢？", answer="8000 亿"),
    ]
    assert resolve("它的激活参数呢？", turns) == "Quillon 2的激活参数是多少？"


@pytest.mark.parametrize(
    ("history", "error", "message"),
    [
        ("not a list", InputError, "history must be a list of {question, answer} turns"),
        ([{"question": "q"}] * (MAX_TURNS + 1), TooLargeError, f"history has 21 turns; the limit is {MAX_TURNS}"),
        ([{"answer": "a"}], InputError, "history[0].question: Field required"),
        ([{"question": "q", "answer": "a", "x": 1}], InputError, "history[0].x: Extra inputs are not permitted"),
        ([{"question": "q"}, {"question": "  ", "answer": ""}], InputError, "history[1].question is empty"),
        ([{"question": "q" * 11}], TooLargeError, "history[0].question has 11 characters; the limit is 10"),
        ([{"question": "q", "answer": "a" * 20_001}], InputError, "history[0].answer: String should have at most"),
    ],
)
def test_bad_history_is_refused_with_a_clear_message(history: object, error: type, message: str) -> None:
    with pytest.raises(error) as got:
        parse_history(history, max_question_chars=10)  # type: ignore[arg-type]
    assert type(got.value) is error
    assert str(got.value).startswith(message)
