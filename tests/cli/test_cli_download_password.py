"""The CLI has no download-password option (a secret on a command line is visible to other users): a job
whose outputs are password-protected fails with one line naming the Python keyword to use instead."""

from __future__ import annotations

from pathlib import Path

import httpx
from cli_helpers import report
from cli_helpers import serve
from cli_helpers import stderr_lines


def test_a_password_protected_job_names_download_password(tmp_path: Path) -> None:
    with serve("api2convert") as served:
        (job_id,) = served.ids
        httpx.patch(
            f"{served.running.base_url}/jobs/{job_id}",
            json={"download_passwords": ["s3cret"]},
            headers=served.running.auth_headers(),
            timeout=5.0,
        ).raise_for_status()
        result = served.run("download", job_id, "--out", str(tmp_path), "--json")
    assert result.returncode == 1
    data = report(result)
    assert data["saved"] == [] and [entry["id"] for entry in data["failed"]] == [job_id, job_id]
    assert all("pass download_password=" in entry["error"] for entry in data["failed"])
    assert all(line.startswith(f"docfetch: {job_id}: ") for line in stderr_lines(result))
    assert list(tmp_path.iterdir()) == []
