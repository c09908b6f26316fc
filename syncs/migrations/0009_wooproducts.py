"""WooCommerce integrations' order, refund, customer and payment links were stored as "shopify":
they take the source system of their shop. A link whose WooCommerce twin already exists is left."""

from django.db import migrations
from django.db.models import Exists, OuterRef

SHOP_ENTITIES = ("order", "refund", "customer", "payment")


def links_to_woocommerce(apps, schema_editor):
    RecordLink = apps.get_model("syncs", "RecordLink")
    twin = RecordLink.objects.filter(
        integration_id=OuterRef("integration_id"),
        entity_type=OuterRef("entity_type"),
        source_system="woocommerce",
        source_id=OuterRef("source_id"),
    )
    (
        RecordLink.objects.filter(
            source_system="shopify",
            entity_type__in=SHOP_ENTITIES,
            integration__shop_connection__platform="woocommerce",
        )
        .exclude(Exists(twin))
        .update(source_system="woocommerce")
    )


def links_to_shopify(apps, schema_editor):
    RecordLink = apps.get_model("syncs", "RecordLink")
    RecordLink.objects.filter(
        source_system="woocommerce",
        entity_type__in=SHOP_ENTITIES,
        integration__shop_connection__platform="woocommerce",
    ).update(source_system="shopify")


class Migration(migrations.Migration):
    dependencies = [
        ("syncs", "0008_ordersback"),
        ("integrations", "0009_ordersback"),
    ]

    operations = [migrations.RunPython(links_to_woocommerce, links_to_shopify)]
