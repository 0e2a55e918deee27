"""Tool kits (工具包, R-SP-5): each technician's tools on record, losses and replacements.

The life of a tool (``TOOL_LIFE``): in the kit → lost (with how) → replaced (the new
tool records which it replaces); a replaced tool stays on record.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.parts.models import Tool, ToolKit

TOOL_LIFE = Lifecycle(
    "parts.tool",
    {
        Tool.Status.IN_KIT: {Tool.Status.LOST},
        Tool.Status.LOST: {Tool.Status.REPLACED},
        Tool.Status.REPLACED: set(),
    },
)


def tool_transition(tool: Tool, to: str, *, actor: User, reason: str) -> None:
    """The one way a tool's status changes (409 unless TOOL_LIFE allows it)."""
    TOOL_LIFE.move(tool, to, actor=actor, note=reason, reason=reason)


@transaction.atomic
def tool_kit_create(
    *,
    actor: User | None,
    code: str,
    holder: User,
    tools: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> ToolKit:
    """A kit issued to a technician with its tools (name, asset number)."""
    if not holder.is_active or not holder.has_role(Role.TECHNICIAN):
        raise ValidationError({"holder": _("A tool kit is issued to an active technician.")})
    if not code.strip():
        raise ValidationError({"code": _("Give the kit a code.")})
    if ToolKit.objects.filter(code=code.strip()).exists():
        raise ValidationError({"code": _("A kit with this code already exists.")})
    kit = ToolKit(code=code.strip(), holder=holder, issued_on=timezone.localdate())
    save_audited(kit, actor=actor, reason="issued")
    for name, asset in tools:
        tool_add(actor=actor, kit=kit, name=name, asset_number=asset)
    return kit


@transaction.atomic
def tool_add(*, actor: User | None, kit: ToolKit, name: str, asset_number: str = "") -> Tool:
    if not name.strip():
        raise ValidationError({"name": _("Name the tool.")})
    tool = Tool(kit=kit, name=name.strip()[:100], asset_number=asset_number.strip()[:50])
    save_audited(tool, actor=actor, reason="added")
    return tool


def _may_handle(actor: User, tool: Tool) -> None:
    """The warehouse and managers handle any kit; a technician reports on their own."""
    if actor.is_superuser or actor.has_role(Role.WAREHOUSE, Role.SERVICE_MANAGER):
        return
    if tool.kit.holder_id != actor.pk:
        raise ValidationError({"tool": _("You may report only on your own kit.")})


def _locked(tool: Tool) -> Tool:
    return Tool.objects.select_for_update().select_related("kit").get(pk=tool.pk)


@transaction.atomic
def tool_lost(*, actor: User, tool: Tool, reason: str) -> Tool:
    """A tool lost (or broken beyond use), with how; it waits for its replacement."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say how the tool was lost.")})
    tool = _locked(tool)
    _may_handle(actor, tool)
    if tool.status != Tool.Status.IN_KIT:
        raise ConflictError(_("%(tool)s is not in the kit.") % {"tool": tool})
    tool.note = reason.strip()[:300]
    tool_transition(tool, Tool.Status.LOST, actor=actor, reason=f"lost: {reason}")
    return tool


@transaction.atomic
def tool_replace(*, actor: User, tool: Tool, asset_number: str = "") -> Tool:
    """A lost tool replaced: the new one records which it replaces."""
    tool = _locked(tool)
    if not (actor.is_superuser or actor.has_role(Role.WAREHOUSE, Role.SERVICE_MANAGER)):
        raise ValidationError({"tool": _("The warehouse replaces lost tools.")})
    if tool.status != Tool.Status.LOST:
        raise ConflictError(_("Only a lost tool is replaced."))
    tool_transition(tool, Tool.Status.REPLACED, actor=actor, reason="replaced")
    new = Tool(kit=tool.kit, name=tool.name, asset_number=asset_number.strip()[:50], replaces=tool)
    save_audited(new, actor=actor, reason=f"replaces {tool.pk}")
    return new
