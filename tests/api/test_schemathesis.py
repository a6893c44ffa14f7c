"""Schemathesis against /api/v1/openapi.json: thousands of generated calls, anonymous and signed in.

What must hold for every call: no server error, and every answer (status, content type,
headers, body) is one the document promises; operations needing a token refuse anonymous
callers; methods the document does not list get a 405 with `Allow`.

Two of Schemathesis' opinions are left out, with reasons: `positive_data_acceptance` (a
schema-valid body may still be refused for a business reason, such as a film of another
edition) and `negative_data_rejection`/`missing_required_header` (extra headers are legal in
HTTP, and tus answers a missing Tus-Resumable with 412, as its specification requires).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from festival.auth.models import Role
from festival.extensions import db
from festival.programme.services import add_film, publish
from tests.helpers.api import bearer

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "ignored_auth",
        "unsupported_method",
        "allow_header_conformance",
        "use_after_free",
    ]
)
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


@pytest.fixture
def festival_with_data(edition, make_valid_film, block, make_participant, make_user, client):
    film = make_valid_film("Le film du fuzz")
    add_film(block, film)
    publish(edition)
    db.session.commit()
    participant = make_participant(account=True)
    return {
        "anonymous": None,
        "participant": bearer(client, participant.user)["Authorization"],
        "admin": bearer(client, make_user(Role.ADMIN))["Authorization"],
    }


@pytest.mark.long
@pytest.mark.parametrize("who", ["anonymous", "participant", "admin"])
def test_the_api_keeps_its_documented_promises(festival_with_data, live_server, who, tmp_path):
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{live_server}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        "25",
        "--seed",
        "20261122",
        "--generation-database",
        "none",
        "--no-color",
        "--request-timeout",
        "20",
        # Sign-in attempts are rate limited on purpose; fuzzing them only fills the limiter.
        "--exclude-path",
        "/api/v1/auth/token",
    ]
    if festival_with_data[who]:
        command += ["--header", f"Authorization: {festival_with_data[who]}"]
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks",
        "PYTHONPATH": str(root),
    }
    run = subprocess.run(  # noqa: S603 - fixed argv
        command, capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path, env=env
    )
    summary = run.stdout[-6000:]
    assert run.returncode == 0, summary
    generated = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert generated, summary
    assert int(generated.group(1)) > 500  # it really called the API, many times
