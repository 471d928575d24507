"""Background work of notifications: one outside delivery, retried with back-off."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from ..models import DeliveryStatus, NotificationDelivery
from .channels import deliver_now


@task()
def deliver(delivery_id: int) -> None:
    """Send one notification through its outside channel; retry later on failure."""
    if deliver_now(delivery_id):
        return
    delivery = NotificationDelivery.objects.get(pk=delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return  # gave up: the failure stays visible in the admin
    backend = deliver.get_backend()
    if backend.supports_defer:
        wait = timedelta(seconds=30 * 2**delivery.attempts)
        deliver.using(run_after=timezone.now() + wait).enqueue(delivery_id)
