"""The small office the real-service tests and the week benchmark run: scenario text built from tables.

One server holding "Acme Properties", linked to STRATAFOLIO from the server; optionally Auto-Run, a
workstation with a bookkeeper, and whatever timeline and expectations the caller adds.
"""

from __future__ import annotations

from sim.scenario import toml_table

COMPANY = "Acme Properties"


def office(
    name: str, duration: str, auto_run_minutes: int | None = None, bookkeeper: bool = False, seed: int = 1
) -> str:
    tables = [
        toml_table(
            "scenario",
            {
                "name": name,
                "reproduces": "a vendor's service under the office's failures",
                "source": "assumed",
                "seed": seed,
                "start": "2026-01-05 07:00",
                "duration": duration,
            },
            array=False,
        ),
        toml_table(
            "hosts",
            {
                "name": "FILESRV",
                "role": "server",
                "drives": ["C", "D"],
                "windows_users": ["Administrator"],
                "logged_in": "Administrator",
            },
        ),
        toml_table("company_files", {"name": COMPANY, "host": "FILESRV", "path": rf"D:\QBData\{COMPANY}.QBW"}),
        toml_table("stratafolio", {"organization": "Example Realty", "admin": "admin@example.com"}, array=False),
        toml_table(
            "integrations",
            {
                "company_file": COMPANY,
                "linked_from": "FILESRV",
                **({"auto_run_minutes": auto_run_minutes} if auto_run_minutes else {}),
            },
        ),
    ]
    if bookkeeper:
        tables += [
            toml_table(
                "hosts", {"name": "WS01", "role": "workstation", "windows_users": ["maria"], "logged_in": "maria"}
            ),
            toml_table("shares", {"host": "FILESRV", "name": "QBData", "folder": r"D:\QBData"}),
            toml_table("mapped_drives", {"host": "WS01", "letter": "Q", "share": r"\\FILESRV\QBData"}),
            toml_table(
                "people",
                {
                    "name": "maria",
                    "host": "WS01",
                    "company_file": COMPANY,
                    "path": rf"Q:\{COMPANY}.QBW",
                    "works": "09:00-17:00",
                },
            ),
        ]
    return "\n".join(tables)
