"""A fake SMS provider on 127.0.0.1: answers SendSms as Aliyun (RPC, JSON) and Tencent Cloud
(TC3, ``X-TC-Action``) do, so the real SDKs are exercised end to end without a real provider.
``fail_first`` makes the first N requests answer HTTP 500 (the retry path)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class FakeSms:
    fail_first: int = 0
    requests: list[dict] = field(default_factory=list)
    port: int = 0

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"


def start(fake: FakeSms) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            size = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(size)
            tencent = "X-TC-Action" in self.headers
            if tencent:
                params = json.loads(raw or b"{}")
            else:
                query = parse_qs(urlparse(self.path).query)
                params = {k: v[0] for k, v in query.items()}
            fake.requests.append({"tencent": tencent, "params": params})
            if len(fake.requests) <= fake.fail_first:
                body = b'{"Code":"ServiceUnavailable","Message":"try later"}'
                self.send_response(500)
            else:
                n = len(fake.requests)
                if tencent:
                    out = {
                        "Response": {
                            "SendStatusSet": [
                                {"SerialNo": f"tc-{n}", "Code": "Ok", "Message": "send success"}
                            ],
                            "RequestId": f"r{n}",
                        }
                    }
                else:
                    out = {"Code": "OK", "Message": "OK", "BizId": f"ali-{n}", "RequestId": f"r{n}"}
                body = json.dumps(out).encode()
                self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
