"""A local OpenAI-compatible HTTP server for tests, on 127.0.0.1.

It answers /v1/chat/completions with the offline engine's replies, over real HTTP, so
the real ChatOpenAI client is exercised end to end. `quirks` make it behave like a weak
open model: `<think>` blocks, JSON in text instead of tool calls, broken JSON arguments,
HTTP 500s. It counts every request.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from langchain_core.messages import AIMessage
from langchain_openai.chat_models.base import _convert_dict_to_message

from genai_planner.models.offline import OfflineChatModel


class FakeOpenAI:
    """Start with `with FakeOpenAI(quirks={...}) as server:`; `server.base_url` is the /v1 URL."""

    def __init__(self, quirks: set[str] | None = None, fail_every: int = 0):
        self.quirks = quirks or set()
        self.fail_every = fail_every
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
                if outer.fail_every and n % outer.fail_every == 0:
                    self._send(500, {"error": {"message": "injected server error"}})
                    return
                self._send(200, outer.complete(body, n))

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
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
