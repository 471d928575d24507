"""Background work of notifications: one outside delivery, retried with back-off."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from ..models import NotificationDelivery
from .channels import SEND_LEASE, deliver_now


@task()
def deliver(delivery_id: int) -> str:
    """Send one notification through its outside channel; retry later on failure. Run twice
    (a worker killed and its task run again), it sends once (`deliver_now`)."""
    outcome = deliver_now(delivery_id)
    backend = deliver.get_backend()
    if outcome not in ("retry", "busy") or not backend.supports_defer:
        return outcome  # sent, skipped, or gave up: the failure stays visible in the admin
    delivery = NotificationDelivery.objects.get(pk=delivery_id)
    if outcome == "busy":  # another attempt holds it: look again when its claim expires
        claimed = delivery.claimed_at or timezone.now()
        wait = claimed + SEND_LEASE - timezone.now() + timedelta(seconds=1)
    else:
        wait = timedelta(seconds=30 * 2**delivery.attempts)
    deliver.using(run_after=timezone.now() + wait).enqueue(delivery_id)
    return outcome
