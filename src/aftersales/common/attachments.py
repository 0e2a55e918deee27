"""Attaching files to records, and reading them back only where the record is visible.

An app registers each model that takes attachments with two functions: which of
its records a user may see (the app's own selector), and whether a user may add
a file to one record (its role and the record's state). The file's type is read
from its first bytes, never trusted from its name or the browser's claim, and
the file is stored under a random name; the uploader's file name is kept as text.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.common.exceptions import ConflictError, ValidationError
from aftersales.common.models import Attachment

# (first bytes, MIME type, extension). Photos from phones, scans and PDFs,
# and office documents (a regulator's letter comes as .docx as often as .pdf).
_SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
    (b"%PDF-", "application/pdf", "pdf"),
]
_OFFICE = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff(head: bytes, name: str) -> tuple[str, str] | None:
    """The (MIME type, extension) the file's first bytes show, or None if not allowed."""
    for magic, mime, extension in _SIGNATURES:
        if head.startswith(magic):
            return mime, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1"):
        return "image/heic", "heic"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if head.startswith(b"PK\x03\x04") and extension in _OFFICE:
        return _OFFICE[extension], extension
    return None


@dataclass(frozen=True)
class Holder:
    visible: Callable[[Any], QuerySet[Any]]
    check_may_attach: Callable[[Any, Any], None]
    # Staff's files are internal (a complaint's investigation): a customer sees only the
    # files their own company's people added.
    staff_files_internal: bool = False
    # (user, record, attachment) -> whether this one file is shown (None: all of them).
    file_visible: Callable[[Any, Any, Any], bool] | None = None


_HOLDERS: dict[str, Holder] = {}


def register(
    model: type[models.Model],
    *,
    visible: Callable[[Any], QuerySet[Any]],
    check_may_attach: Callable[[Any, Any], None],
    staff_files_internal: bool = False,
    file_visible: Callable[[Any, Any, Any], bool] | None = None,
) -> None:
    """``check_may_attach(user, record)`` raises PermissionDenied or ConflictError;
    ``file_visible(user, record, attachment)`` narrows which of a visible record's files
    the user may open."""
    _HOLDERS[model._meta.label_lower] = Holder(
        visible, check_may_attach, staff_files_internal, file_visible
    )


def _holder(model: type[models.Model]) -> Holder:
    try:
        return _HOLDERS[model._meta.label_lower]
    except KeyError:
        raise LookupError(f"{model._meta.label} takes no attachments") from None


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def check_upload(upload: File) -> tuple[str, str]:
    """The file's (MIME type, extension) from its first bytes; ValidationError when it is
    empty, too large or of a type not allowed. Lets a form check every file first."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > max_bytes():
        raise ValidationError(
            {"file": _("The file is larger than %(mb)d MB.") % {"mb": max_bytes() // (1024 * 1024)}}
        )
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head, upload.name or "")
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "Only photos (JPEG, PNG, GIF, WebP, HEIC), PDF, Word and Excel files "
                    "can be attached."
                )
            }
        )
    return kind


@transaction.atomic
def attach(*, actor: Any, about: models.Model, upload: File, caption: str = "") -> Attachment:
    """Keep ``upload`` on ``about``. Refused (nothing stored) when the user may not add
    files to that record, the file is empty or too large, or its type is not allowed."""
    _holder(type(about)).check_may_attach(actor, about)
    if len(caption) > 200:
        raise ValidationError({"caption": _("Keep the caption under 200 characters.")})
    mime, extension = check_upload(upload)
    size = upload.size or 0
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        about=about,
        name=(upload.name or f"file.{extension}")[-200:],
        mime=mime,
        size=size,
        sha256=digest.hexdigest(),
        caption=caption,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)
    try:
        attachment.save()
    except BaseException:
        # Nothing half-written: no row, so no file either. (Callers attach last, so
        # nothing after this can roll the row back and strand the file.)
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def withdraw(*, actor: Any, attachment: Attachment, reason: str) -> Attachment:
    """A wrong file is withdrawn with the reason; it stays on record, hidden from lists."""
    holder = _HOLDERS[attachment.content_type.model_class()._meta.label_lower]  # type: ignore[union-attr]
    holder.check_may_attach(actor, attachment.about)
    if attachment.withdrawn_at is not None:
        raise ConflictError(_("This file was already withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the file is withdrawn.")})
    attachment.withdrawn_at = timezone.now()
    attachment.withdrawn_by = actor
    attachment.withdrawn_reason = reason.strip()
    attachment.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    return attachment


def _hidden_from(user: Any, holder: Holder) -> bool:
    """Whether staff's files on this kind of record are kept from this user."""
    return holder.staff_files_internal and bool(getattr(user, "is_external", False))


def attachments_of(record: models.Model, user: Any = None) -> QuerySet[Attachment]:
    """The record's files; for a customer, only what they may see."""
    files = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        withdrawn_at__isnull=True,
    ).select_related("uploaded_by")
    if user is not None and _hidden_from(user, _holder(type(record))):
        files = files.filter(uploaded_by__portal_contact__isnull=False)
    return files


def attachment_for(user: Any, pk: Any) -> Attachment:
    """The attachment if the user may see the record it is on; else 404."""
    try:
        attachment = Attachment.objects.select_related("content_type").get(pk=int(pk))
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    model = attachment.content_type.model_class()
    holder = _HOLDERS.get(model._meta.label_lower) if model else None
    if holder is None or not holder.visible(user).filter(pk=attachment.object_id).exists():
        raise Http404
    if (
        _hidden_from(user, holder)
        and getattr(attachment.uploaded_by, "portal_contact", None) is None
    ):
        raise Http404
    if holder.file_visible is not None and model is not None:
        record = model._default_manager.get(pk=attachment.object_id)
        if not holder.file_visible(user, record, attachment):
            raise Http404
    return attachment


__all__ = ["PermissionDenied", "attach", "attachment_for", "attachments_of", "register", "sniff"]
