"""An app over the fake Assistant, for page tests that need fixed answers (charts, verdict colours).

    uvicorn --factory fake_server:app_factory --app-dir tests/browser
Reads Settings from ASSISTANT_* and ingests the folder named by FAKE_CORPUS.
"""

from __future__ import annotations

import os

from fakes import FakeAssistant
from fastapi import FastAPI

from assistant.server import create_app
from assistant.settings import Settings


def app_factory() -> FastAPI:
    settings = Settings()
    fake = FakeAssistant(settings)
    if os.environ.get("FAKE_CORPUS"):
        fake.ingest([os.environ["FAKE_CORPUS"]])
    return create_app(settings, assistant=fake)
