"""The FastAPI face of the assistant: ``create_app(settings)`` builds the app."""

from assistant.server.app import app_factory, create_app

__all__ = ["app_factory", "create_app"]
