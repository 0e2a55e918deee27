from django.dispatch import Signal

#: Sent after a calendar's change is committed, with ``calendar`` (the model).
#: The obligations app listens to recompute the due times it governs.
calendar_changed = Signal()
