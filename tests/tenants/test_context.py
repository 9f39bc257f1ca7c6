"""Tenant context outside HTTP: websocket consumers and Celery tasks run in the schema they belong to."""

import uuid

import pytest
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import path
from django_tenants.utils import schema_context

from jobpilot.celery import app as celery_app
from tenants.asgi import TenantWebsocketMiddleware, database_sync_to_async_in_tenant


class SchemaProbeConsumer(AsyncJsonWebsocketConsumer):
    """Reports the schema its database work ran in, and what it can see there."""

    async def connect(self):
        await self.accept()
        schema, labels = await database_sync_to_async_in_tenant(self.scope["tenant"], self._read)
        await self.send_json({"schema": schema, "labels": labels})

    @staticmethod
    def _read():
        labels = sorted(
            ContentType.objects.filter(app_label__startswith="probe").values_list("app_label", flat=True)
        )
        return connection.schema_name, labels


application = TenantWebsocketMiddleware(URLRouter([path("ws/probe/", SchemaProbeConsumer.as_asgi())]))


def _communicator(host: str) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/probe/", headers=[(b"host", host.encode())])


@pytest.mark.django_db(transaction=True)
async def test_websocket_consumer_works_in_the_hosts_schema(tenant_a, tenant_b):
    label_a, label_b = f"probe_{uuid.uuid4().hex}", f"probe_{uuid.uuid4().hex}"
    await database_sync_to_async_in_tenant(tenant_a, _create_probe, label_a)
    await database_sync_to_async_in_tenant(tenant_b, _create_probe, label_b)

    for tenant, own, other in ((tenant_a, label_a, label_b), (tenant_b, label_b, label_a)):
        communicator = _communicator(f"{tenant.slug}.localhost:8000")
        connected, _ = await communicator.connect()
        assert connected
        message = await communicator.receive_json_from(timeout=10)
        assert message["schema"] == tenant.schema_name
        assert own in message["labels"]
        assert other not in message["labels"]
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_websocket_from_an_unknown_host_is_refused(public_tenant):
    connected, code = await _communicator("nobody.localhost").connect()
    assert not connected


@pytest.mark.django_db(transaction=True)
async def test_websocket_on_a_custom_domain_outside_the_plan_is_refused(tenant_a):
    from asgiref.sync import sync_to_async

    from tenants.models import Domain

    await sync_to_async(Domain.objects.create)(domain="careers.starter-co.test", tenant=tenant_a)
    connected, _ = await _communicator("careers.starter-co.test").connect()
    assert not connected


def _create_probe(label):
    ContentType.objects.create(app_label=label, model="probe")


@celery_app.task(name="tests.schema_probe")
def schema_probe():
    return connection.schema_name, sorted(
        ContentType.objects.filter(app_label__startswith="probe").values_list("app_label", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_celery_task_runs_in_the_schema_it_was_sent_from(tenant_a, tenant_b, celery_worker_on_redis):
    label = f"probe_{uuid.uuid4().hex}"
    with schema_context(tenant_a.schema_name):
        ContentType.objects.create(app_label=label, model="probe")
        from_a = schema_probe.delay()
    with schema_context(tenant_b.schema_name):
        from_b = schema_probe.delay()
    from_public = schema_probe.delay()

    schema, labels = from_a.get(timeout=10)
    assert schema == tenant_a.schema_name and label in labels
    schema, labels = from_b.get(timeout=10)
    assert schema == tenant_b.schema_name and label not in labels
    schema, labels = from_public.get(timeout=10)
    assert schema == "public" and label not in labels
