"""Webhooks: subscriptions to the domain events, delivered signed (Standard Webhooks) by ``pqrs worker``.

``events`` names the events and builds their payloads, ``addresses`` decides which URLs may be called,
``subscriptions`` validates what an administrator registers, ``sending`` makes one signed request and
``delivery`` claims, sends, retries and gives up. The tables are written by
``pqrs_adapters.sqlalchemy.webhook_store``.
"""
