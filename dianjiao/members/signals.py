"""What the roster tells the layers above it, which it cannot call (the layers are one-way)."""

from django.dispatch import Signal

# Sent inside the transaction that moved them, with moves={member id: (old village id, new
# village id)}: figures kept per village (teaching.rollups) follow the member.
members_moved = Signal()
