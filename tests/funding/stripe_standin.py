"""A local HTTP server standing in for Stripe's API in checkout and portal tests (Stripe is unreachable here).

It records each request the official library sends and answers with the smallest object the library needs.
"""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    form: dict[str, list[str]]


@dataclass
class StripeStandIn:
    server: ThreadingHTTPServer
    requests: list[Recorded] = field(default_factory=list)
    status: int = 200

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def last_form(self) -> dict[str, str]:
        """The last request's form fields, one value each (Stripe's encoding never repeats a key)."""
        return {key: values[0] for key, values in self.requests[-1].form.items()}


def start() -> StripeStandIn:
    standin: StripeStandIn

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            standin.requests.append(
                Recorded("POST", self.path, dict(self.headers), parse_qs(body, keep_blank_values=True))
            )
            status = standin.status
            if status != 200:
                reply = {"error": {"type": "api_error", "message": "The stand-in was told to fail."}}
            elif self.path == "/v1/checkout/sessions":
                reply = {
                    "id": "cs_test_standin",
                    "object": "checkout.session",
                    "url": "https://checkout.stripe.com/c/pay/cs_test_standin",
                }
            elif self.path == "/v1/billing_portal/sessions":
                reply = {
                    "id": "bps_1",
                    "object": "billing_portal.session",
                    "url": "https://billing.stripe.com/p/x",
                }
            else:
                status, reply = 404, {"error": {"type": "invalid_request_error", "message": "Unknown path"}}
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    standin = StripeStandIn(server)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return standin
