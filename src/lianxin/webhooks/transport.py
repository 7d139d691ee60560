"""One HTTP POST of a delivery (standard library only: no redirects followed, a timeout, the
response body never stored beyond a short excerpt for the log)."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass(frozen=True)
class PostResult:
    status_code: int | None  # None: no HTTP answer (refused, timed out, TLS error)
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 3xx is the receiver's answer, not an instruction: following it would send the signed
    body to an address nobody registered."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> PostResult:
    started = time.monotonic()
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    status: int | None = None
    error = ""
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
            response.read(1024)
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
        exc.close()
    except TimeoutError:
        error = "timeout"
    except urllib.error.URLError as exc:
        reason = exc.reason
        error = (
            "timeout" if isinstance(reason, TimeoutError) else f"{type(reason).__name__}: {reason}"
        )
    except (OSError, ValueError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
    duration = int((time.monotonic() - started) * 1000)
    return PostResult(status_code=status, error=error[:300], duration_ms=duration)
