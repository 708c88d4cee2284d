"""What the page tests feed the servers (the tiny corpus and the XSS payload), and asking through the page."""

from playwright.sync_api import Page, expect

XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'

CORPUS = {
    "v3.md": (
        "# DeepSeek-V3 training notes\n\n"
        "DeepSeek-V3 was pre-trained on 14.8 trillion tokens. The full training took 2.788 million H800 GPU hours.\n\n"
        "Assuming a rental price of $2 per GPU hour, the total training cost was 5.576 million dollars.\n"
    ),
    "chips.md": "# 芯片笔记\n\nH800 的 NVLink 带宽为 400 GB/s。H100 的 NVLink 带宽为 900 GB/s。\n",
    # for the two-turn conversations: the follow-up's answer is only right if the first turn was understood
    "qwen.md": "# Qwen3 notes\n\nQwen3 was pre-trained on 36 trillion tokens covering 119 languages.\n",
    "kimi.md": "# Kimi K2 模型笔记\n\nKimi K2 的总参数量为 1 万亿。\n\nKimi K2 的激活参数为 320 亿。\n",
}


def ask(page: Page, question: str) -> None:
    """Type ``question``, press Send, and wait until the answer has replaced the pending message."""
    page.fill("#question", question)
    page.click("#send")
    expect(page.locator(".msg.assistant.pending")).to_have_count(0, timeout=30_000)
