"""A local OpenAI-compatible HTTP server for tests, on 127.0.0.1.

It answers /v1/chat/completions with the offline engine's replies, over real HTTP, so
the real ChatOpenAI client is exercised end to end. `quirks` make it behave like a weak
open model: `<think>` blocks, JSON in text instead of tool calls, broken JSON arguments,
HTTP 500s. `errors` scripts failures like real endpoints send them (OpenAI's error body,
Retry-After): `{3: 429}` answers the third request with a 429, `{"*": 401}` every request;
`slow` delays chosen requests past the client's timeout. It counts every request.
`rewrite(body, reply)` plays a model that answers differently from the offline engine: it sees
the request body and the offline reply (an `AIMessage`: text, or a tool call with its `args`)
and returns the reply to send instead, or None to send the offline one; the numbers of the
requests it changed are kept in `rewritten`, and an exception it raises is answered with a 500
and kept in `failures`. `prompt_of(body)` and `forced_tool(body)` read a
request the way such a hook needs.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from langchain_core.messages import AIMessage
from langchain_openai.chat_models.base import _convert_dict_to_message

from genai_planner.models.offline import OfflineChatModel

ERRORS = {
    400: (
        "This model's maximum context length is 8192 tokens. However, your messages resulted in 9123 tokens.",
        "invalid_request_error",
        "context_length_exceeded",
    ),
    401: ("Incorrect API key provided: sk-test-***. You can find your API key in your account settings.", "invalid_request_error", "invalid_api_key"),
    403: ("You are not allowed to sample from this model", "invalid_request_error", None),
    404: ("The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found"),
    429: ("Rate limit reached for requests", "requests", "rate_limit_exceeded"),
    503: ("The server is overloaded or not ready yet.", "server_error", None),
}


Rewrite = Callable[[dict[str, Any], AIMessage], AIMessage | None]
"""(request body, offline reply) -> the reply to send instead, or None to keep the offline one."""


def prompt_of(body: dict[str, Any]) -> str:
    """Every message's text of a chat request, joined (what the model was asked)."""
    parts = []
    for message in body.get("messages", []):
        content = message.get("content")
        parts.append(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False))
    return "\n\n".join(p for p in parts if p)


def forced_tool(body: dict[str, Any]) -> str | None:
    """The tool a request forces (a structured reply: 'Brief', 'Plan', 'ReviewVerdict'), or None."""
    choice = body.get("tool_choice")
    return choice.get("function", {}).get("name") if isinstance(choice, dict) else None


def error_body(status: int, model: str) -> dict[str, Any]:
    """The error JSON an OpenAI endpoint sends with `status`."""
    message, kind, code = ERRORS.get(status, ("error", "server_error", None))
    return {"error": {"message": message.format(model=model), "type": kind, "param": None, "code": code}}


class FakeOpenAI:
    """Start with `with FakeOpenAI(quirks={...}) as server:`; `server.base_url` is the /v1 URL."""

    def __init__(
        self,
        quirks: set[str] | None = None,
        fail_every: int = 0,
        errors: dict[int | str, int] | None = None,
        slow: dict[int, float] | None = None,
        rewrite: Rewrite | None = None,
    ):
        self.quirks = quirks or set()
        self.fail_every = fail_every
        self.errors = errors or {}
        self.slow = slow or {}
        self.rewrite = rewrite
        self.rewritten: list[int] = []
        self.failures: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self.model = OfflineChatModel()
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                self._send(200, {"object": "list", "data": [{"id": "local", "object": "model"}]})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                with outer._lock:
                    outer.requests.append(body)
                    n = len(outer.requests)
                if n in outer.slow:
                    time.sleep(outer.slow[n])
                status = outer.errors.get(n) or outer.errors.get("*")
                if status:
                    self._send(status, error_body(status, body.get("model", "")), {"Retry-After": "0"} if status == 429 else {})
                    return
                if outer.fail_every and n % outer.fail_every == 0:
                    self._send(500, {"error": {"message": "injected server error"}})
                    return
                try:
                    payload = outer.complete(body, n)
                except Exception as exc:  # a broken rewrite hook: the test reads `failures`, the client a 500
                    outer.failures.append(f"request {n}: {type(exc).__name__}: {exc}")
                    self._send(500, {"error": {"message": f"fake server failed: {exc}"}})
                    return
                self._send(200, payload)

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def complete(self, body: dict[str, Any], n: int) -> dict[str, Any]:
        """One chat completion, with the configured quirks applied."""
        messages = [_convert_dict_to_message(m) for m in body["messages"]]
        kwargs: dict[str, Any] = {}
        if body.get("tools"):
            kwargs["tools"] = body["tools"]
        if body.get("tool_choice"):
            kwargs["tool_choice"] = body["tool_choice"]
        reply: AIMessage = self.model._generate(messages, **kwargs).generations[0].message  # type: ignore[assignment]
        if self.rewrite is not None:
            changed = self.rewrite(body, reply)
            if changed is not None:
                with self._lock:
                    self.rewritten.append(n)
                reply = changed
        content, tool_calls = reply.content, reply.tool_calls
        forced = isinstance(body.get("tool_choice"), dict)
        if forced and tool_calls and "json_in_text" in self.quirks:
            content, tool_calls = "Sure! Here it is:\n```json\n" + json.dumps(tool_calls[0]["args"]) + "\n```", []
        elif forced and tool_calls and "broken_args" in self.quirks and n % 2:
            broken = json.dumps(tool_calls[0]["args"])[:-2]
            return self._payload("", [{"id": "call_x", "type": "function", "function": {"name": tool_calls[0]["name"], "arguments": broken}}], reply)
        if "think" in self.quirks and isinstance(content, str) and content:
            content = "<think>Let me plan this carefully first.</think>\n" + content
        calls = [
            {"id": tc["id"], "type": "function", "function": {"name": tc["name"], "arguments": json.dumps(tc["args"])}}
            for tc in tool_calls
        ]
        return self._payload(content, calls, reply)

    @staticmethod
    def _payload(content: Any, calls: list[dict[str, Any]], reply: AIMessage) -> dict[str, Any]:
        usage = reply.usage_metadata or {}
        message: dict[str, Any] = {"role": "assistant", "content": content or None}
        if calls:
            message["tool_calls"] = calls
        return {
            "id": f"chatcmpl-{time.time_ns()}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": "local",
            "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}],
            "usage": {
                "prompt_tokens": usage.get("input_tokens", 0),
                "completion_tokens": usage.get("output_tokens", 0),
                "total_tokens": usage.get("total_tokens", 0),
            },
        }

    def __enter__(self) -> FakeOpenAI:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
