"""The calculators over HTTP: one documented route per tool, its request body built from the tool's signature."""

# No ``from __future__ import annotations`` here: the endpoints are made in a loop with per-tool body models,
# and FastAPI must see those annotations as classes, not as strings to resolve later.

import inspect
import logging
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from assistant.errors import InputError, NotFoundError
from assistant.server.handlers import ERROR_RESPONSES
from assistant.server.schemas import ErrorResponse, ToolInfo, ToolList, ToolResponse

log = logging.getLogger(__name__)

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No calculator with that name."}
}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_")) or "Tool"


def _summary(fn: Callable[..., Any]) -> str:
    doc = inspect.getdoc(fn) or ""
    return doc.split("\n\n", 1)[0].replace("\n", " ").strip()


def _file_arguments(name: str) -> frozenset[str]:
    """Arguments of tool ``name`` that name a server-side file: never taken from a client."""
    try:
        from tools import FILE_ARGUMENTS
    except ImportError:
        return frozenset()
    return FILE_ARGUMENTS.get(name, frozenset())


def request_model(name: str, fn: Callable[..., Any]) -> type[BaseModel]:
    """A pydantic model of the tool's keyword arguments, so the body is validated and documented."""
    hints = typing.get_type_hints(fn, include_extras=True)
    fields: dict[str, Any] = {}
    for param in inspect.signature(fn).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD) or param.name in _file_arguments(name):
            continue
        annotation = hints.get(param.name, Any)
        default = ... if param.default is param.empty else param.default
        fields[param.name] = (annotation, default)
    return create_model(f"{_camel(name)}Request", __config__=ConfigDict(extra="forbid"), **fields)


def response_model(name: str, fn: Callable[..., Any]) -> type[ToolResponse]:
    """``ToolResponse`` with ``result`` typed as the tool's own result model when it declares one."""
    returned = typing.get_type_hints(fn).get("return")
    if isinstance(returned, type) and issubclass(returned, BaseModel):
        return create_model(f"{_camel(name)}Response", __base__=ToolResponse, result=(returned, ...))
    return ToolResponse


def _readable(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'input'}: {e['msg']}" for e in exc.errors())
    return str(exc) or type(exc).__name__


def run(
    registry: Mapping[str, Callable[..., Any]], runner: Callable[..., Any], name: str, args: dict
) -> ToolResponse:
    """Call one tool; the caller's mistakes become ``InputError`` (422), an unknown name ``NotFoundError``."""
    fn = registry.get(name)
    if fn is None:
        raise NotFoundError(f"no calculator named {name!r}; known: {', '.join(sorted(registry))}")
    refused = sorted(set(args) & _file_arguments(name))
    if refused:
        raise InputError(
            f"{name}: {', '.join(refused)} names a file on the server and is not accepted over HTTP"
        )
    try:
        inspect.signature(fn).bind(**args)
    except TypeError as exc:
        raise InputError(f"bad arguments for {name}: {exc}") from exc
    try:
        result = runner(name, **args)
        render = getattr(result, "render", None)
        texts = {lang: str(render(lang)) if callable(render) else "" for lang in ("en", "zh")}
    # A calculator refuses impossible inputs with ValueError; absurd magnitudes (1e-93 dollars) can overflow
    # or leave the decimal context while computing or formatting. Both are the caller's.
    except ArithmeticError as exc:
        raise InputError(
            f"{name}: the inputs are outside the range it can compute ({type(exc).__name__})"
        ) from exc
    except ValueError as exc:
        raise InputError(f"{name}: {_readable(exc)}") from exc
    if isinstance(result, BaseModel):
        payload = result.model_dump(mode="json")
    elif isinstance(result, dict):
        payload = result
    else:
        payload = {"value": result}
    return ToolResponse(name=name, result=payload, text_en=texts["en"], text_zh=texts["zh"])


def load_tools() -> tuple[dict[str, Callable[..., Any]], Callable[..., Any] | None]:
    """The ``tools`` package's registry and runner; empty when the package has none yet."""
    try:
        import tools
    except ImportError:
        log.warning("the tools package is missing; /api/tools has no calculators")
        return {}, None
    registry = dict(getattr(tools, "TOOLS", {}))
    runner = getattr(tools, "run_tool", None)
    if runner is None:

        def runner(name: str, **kwargs: Any) -> Any:
            return registry[name](**kwargs)

    return registry, runner


def build_router(
    registry: Mapping[str, Callable[..., Any]] | None = None, runner: Callable[..., Any] | None = None
) -> APIRouter:
    """A router with ``GET /api/tools``, ``POST /api/tools/{name}`` per tool, and a 404 for unknown names."""
    if registry is None:
        registry, runner = load_tools()
    registry = dict(registry)
    if runner is None:

        def runner(name: str, **kwargs: Any) -> Any:
            return registry[name](**kwargs)

    router = APIRouter(prefix="/api/tools", tags=["tools"], responses=ERROR_RESPONSES)
    infos: list[ToolInfo] = []
    for name, fn in sorted(registry.items()):
        try:
            body_model = request_model(name, fn)
        except Exception:
            # One tool with an unusual signature should not take the server down; it stays reachable by name.
            log.exception("cannot build a request model for tool %s", name)
            continue
        infos.append(ToolInfo(name=name, description=_summary(fn), parameters=body_model.model_json_schema()))
        router.add_api_route(
            f"/{name}",
            _endpoint(name, body_model, registry, runner),
            methods=["POST"],
            response_model=response_model(name, fn),
            summary=_summary(fn) or f"Run {name}",
            description=inspect.getdoc(fn) or "",
            operation_id=f"tool_{name}",
        )

    @router.get("", response_model=ToolList, summary="List the calculators")
    def list_tools() -> ToolList:
        """Every calculator with a one-line description and the JSON schema of its body."""
        return ToolList(tools=infos)

    @router.post(
        "/{name}", response_model=ToolResponse, responses=NOT_FOUND, summary="Run a calculator by name"
    )
    def run_by_name(name: str, args: Annotated[dict[str, Any], Body()]) -> ToolResponse:
        """Run the calculator ``name`` with the JSON object as keyword arguments (404 for an unknown name)."""
        return run(registry, runner, name, args)

    return router


def _endpoint(
    name: str,
    body_model: type[BaseModel],
    registry: Mapping[str, Callable[..., Any]],
    runner: Callable[..., Any],
) -> Callable[..., ToolResponse]:
    def endpoint(body: body_model) -> ToolResponse:  # type: ignore[valid-type]
        given = body.model_fields_set | _required(body)  # type: ignore[attr-defined]
        args = {field: getattr(body, field) for field in given}
        return run(registry, runner, name, args)

    return endpoint


def _required(body: BaseModel) -> set[str]:
    return {name for name, field in type(body).model_fields.items() if field.is_required()}
