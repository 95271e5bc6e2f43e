"""The audit log: every write that matters for accountability, and every look at full
personal data, calls record()."""

from .models import AuditEntry


def record(actor, action: str, obj, data: dict | None = None) -> AuditEntry:
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    return AuditEntry.objects.create(
        actor_id=actor_id if getattr(actor, "is_authenticated", True) else None,
        action=action,
        object_type=obj._meta.label_lower if hasattr(obj, "_meta") else type(obj).__name__,
        object_id=str(getattr(obj, "pk", obj)),
        data=data or {},
    )


def entries_for(obj):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
