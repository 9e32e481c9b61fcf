"""FHIR API clients: created by a clinic admin with scopes, the token shown once, stored hashed."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from clinic_portal.audit import audit
from interop.actors import system_account
from interop.models import ApiClient

TOKEN_PREFIX = "cpf_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_client(*, name: str, scopes: list[str], actor) -> tuple[ApiClient, str]:
    """The new client and its token. The token is not kept; only its hash is."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    valid = [scope for scope in ApiClient.Scope.values if scope in scopes]
    client = ApiClient.objects.create(
        name=name.strip(),
        scopes=valid,
        token_hash=hash_token(token),
        token_prefix=token[:12],
        account=system_account("api", f"{name.strip()} {secrets.token_hex(4)}"),
        created_by=actor,
    )
    audit.record("api_client.create", actor=actor, obj=client, detail={"scopes": valid})
    return client, token


@transaction.atomic
def revoke_client(*, client: ApiClient, actor) -> ApiClient:
    updated = ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    if updated:
        audit.record("api_client.revoke", actor=actor, obj=client)
    client.refresh_from_db()
    return client


def client_for_token(token: str) -> ApiClient | None:
    """The active client holding ``token``, or None. Compared by hash: the token is not stored."""
    if not token or len(token) > 200:
        return None
    client = (
        ApiClient.objects.active()
        .select_related("account")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if client is not None:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client
