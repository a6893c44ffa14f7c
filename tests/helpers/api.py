"""Signing in to the API in tests."""

from __future__ import annotations


def bearer(client, user) -> dict:
    response = client.post(
        "/api/v1/auth/token", json={"login": user.login, "password": "correct-horse-battery"}
    )
    return {"Authorization": f"Bearer {response.json['token']}"}
