"""``Idempotency-Key`` on the API's creates (issue 14 item 12).

A client that sends the same key again with the same request gets the first answer
(marked ``Idempotent-Replayed: true``) and nothing is created twice; the same key with a
different request is a 409. The key is stored in the create's own transaction: a create
that fails leaves no key behind, so the client may retry it, and two requests racing
with one key wait on its unique index, so only one creates."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from aftersales.common.exceptions import ConflictError
from aftersales.common.models import IdempotentRequest
from aftersales.common.validation import CONTROL

HEADER = "Idempotency-Key"
MAX_KEY = 100


def _fingerprint(request: Any) -> str:
    body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    """For an API view method that creates: honour the request's ``Idempotency-Key``."""

    @functools.wraps(view)
    def wrapper(self: Any, request: Any, *args: Any, **kwargs: Any) -> Response:
        key = str(request.headers.get(HEADER, "")).strip()
        if not key:
            return view(self, request, *args, **kwargs)
        if len(key) > MAX_KEY or CONTROL.search(key):
            raise exceptions.ValidationError(
                {HEADER: [_("Give a key of at most 100 plain characters.")]}
            )
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = IdempotentRequest.objects.create(
                        user=request.user,
                        key=key,
                        fingerprint=fingerprint,
                        created_at=timezone.now(),
                    )
            except IntegrityError:
                return _replay(request, key, fingerprint)
            response = view(self, request, *args, **kwargs)
            row.status_code = response.status_code
            row.body = json.loads(JSONRenderer().render(response.data) or b"null")
            row.save(update_fields=["status_code", "body"])
            return response

    return wrapper


def _replay(request: Any, key: str, fingerprint: str) -> Response:
    first = IdempotentRequest.objects.get(user=request.user, key=key)
    if first.fingerprint != fingerprint:
        raise ConflictError(_("This Idempotency-Key was used for a different request."))
    if first.status_code is None:
        raise ConflictError(_("The first request with this Idempotency-Key is still running."))
    response = Response(first.body, status=first.status_code)
    response["Idempotent-Replayed"] = "true"
    return response
