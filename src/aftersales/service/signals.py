"""What the service app announces, for apps that act on it without service importing them
(feedback plans the return visit and sends the survey). Sent inside the service's
transaction, so what a receiver writes commits or rolls back with it."""

from django.dispatch import Signal

# request=ServiceRequest, actor=User, at=datetime: the customer confirmed and it closed.
request_closed = Signal()
# batch=RepairBatch, actor=User, at=datetime: the customer has the repaired units back.
batch_delivered = Signal()
