"""Label Studio's ML backend protocol, client side.

A backend (built with ``label-studio-ml``, or anything that speaks the same JSON) answers:

* ``GET /health`` → ``{"status": "UP", …}``;
* ``POST /setup`` ``{project, schema, model_version, extra_params, hostname, access_token}`` →
  ``{"model_version"}``;
* ``POST /predict`` ``{tasks, project, label_config, model_version, params: {context, …}}`` →
  ``{"results": [{result, score, model_version?}, …], "model_version"}``, one result per task
  in task order (``context`` carries what the annotator did so far: interactive pre-annotation);
* ``POST /webhook`` ``{action, …}``: training events (``ANNOTATION_CREATED``, ``START_TRAINING``);
* ``POST /train`` ``{annotations, project, label_config}``: the older way to train, used when
  ``/webhook`` is not there.

``project`` is Label Studio's ``"<id>.<created_at as a unix time>"``. Every call goes through
the server's outbound policy (``server/outbound.py``): the URL is resolved once, every address
must be allowed, the request goes to that pinned address and no redirect is followed. Answers
are read up to ``MAX_ANSWER`` bytes with the strict JSON parser (no NaN, no depth past 100).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from ...errors import MLBackendError
from ...json_in import JSONInputError, loads
from ..outbound import OutboundError, OutboundPolicy

MAX_ANSWER = 64 * 1024 * 1024


class MLBackendClient:
    """One backend at ``url``. ``policy``: which addresses may be called (a notebook passes
    ``OutboundPolicy.from_strings(["127.0.0.1/32"])`` to reach a backend on its own machine)."""

    def __init__(self, url: str, *, policy: OutboundPolicy | None = None, timeout: float = 100.0,
                 basic_auth: tuple[str, str] | None = None):
        if not isinstance(url, str) or not url.strip():
            raise MLBackendError("url: an ML backend needs an http or https URL")
        self.url = url.strip().rstrip("/")
        self.policy = policy or OutboundPolicy()
        self.timeout = float(timeout)
        self.basic_auth = basic_auth
        self.check()

    def check(self) -> None:
        """Refuse a URL the policy does not allow (raises ``MLBackendError`` naming why)."""
        try:
            self.policy.check(self.url + "/health")
        except OutboundError as exc:
            raise MLBackendError(f"url: {exc}") from None

    # -- the protocol -----------------------------------------------------------------------
    def health(self) -> dict:
        answer = self.call("GET", "/health")
        if not isinstance(answer, dict) or str(answer.get("status", "")).upper() != "UP":
            raise MLBackendError(f"{self.url}/health did not answer {{\"status\": \"UP\"}}")
        return answer

    def setup(self, *, project: str, schema: str, model_version: str | None = None,
              extra_params: dict | None = None, hostname: str = "", access_token: str = "") -> str:
        answer = self.call("POST", "/setup", {
            "project": project, "schema": schema, "model_version": model_version or None,
            "extra_params": extra_params or {}, "hostname": hostname, "access_token": access_token})
        return _version(answer, "/setup")

    def predict(self, tasks: list[dict], *, project: str, label_config: str, model_version: str | None = None,
                context: Any = None, params: dict | None = None) -> tuple[list[dict], str]:
        """``(one prediction per task, in task order; the model version)``."""
        body = {"tasks": tasks, "project": project, "label_config": label_config,
                "model_version": model_version or None, "params": {**(params or {}), "context": context}}
        answer = self.call("POST", "/predict", body)
        if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
            raise MLBackendError(f"{self.url}/predict answered without a list of results")
        results = answer["results"]
        if len(results) != len(tasks):
            raise MLBackendError(f"{self.url}/predict answered {len(results)} results for {len(tasks)} tasks")
        return results, _version(answer, "/predict", required=False)

    def webhook(self, action: str, payload: dict) -> Any:
        return self.call("POST", "/webhook", {"action": action, **payload})

    # -- HTTP -----------------------------------------------------------------------------
    def call(self, method: str, path: str, body: Any = None) -> Any:
        import urllib3  # here: a server at rest never calls out

        try:
            target = self.policy.check(self.url + path)
        except OutboundError as exc:
            raise MLBackendError(f"url: {exc}") from None
        headers = {"Host": target.host if target.port in (80, 443) else f"{target.host}:{target.port}",
                   "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, allow_nan=False).encode()
            headers["Content-Type"] = "application/json"
        if self.basic_auth:
            token = base64.b64encode(f"{self.basic_auth[0]}:{self.basic_auth[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        t = urllib3.Timeout(connect=min(self.timeout, 10.0), read=self.timeout)
        kw = {"timeout": t, "retries": False, "maxsize": 1}
        if target.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(target.address, target.port, server_hostname=target.host,
                                               assert_hostname=target.host, **kw)
        else:
            pool = urllib3.HTTPConnectionPool(target.address, target.port, **kw)
        try:
            response = pool.urlopen(method, target.path, body=data, headers=headers, redirect=False,
                                    preload_content=False)
            raw = response.read(MAX_ANSWER + 1)
            response.release_conn()
        except urllib3.exceptions.HTTPError as exc:
            raise MLBackendError(f"cannot reach the ML backend at {self.url}: {exc}") from None
        finally:
            pool.close()
        if len(raw) > MAX_ANSWER:
            raise MLBackendError(f"{self.url}{path} answered more than {MAX_ANSWER} bytes")
        if response.status >= 300:
            error = MLBackendError(f"{self.url}{path} answered {response.status}: "
                                   f"{raw[:300].decode('utf-8', 'replace')}")
            error.status = response.status
            raise error
        try:
            return loads(raw) if raw.strip() else None
        except (JSONInputError, ValueError) as exc:
            raise MLBackendError(f"{self.url}{path} answered what is not JSON: {exc}") from None


def _version(answer: Any, where: str, *, required: bool = True) -> str:
    version = answer.get("model_version") if isinstance(answer, dict) else None
    if version is None and not required:
        return ""
    if version is None:
        return ""
    if not isinstance(version, (str, int, float)) or isinstance(version, bool):
        raise MLBackendError(f"{where} answered a model_version that is not a string")
    return str(version)[:200]
