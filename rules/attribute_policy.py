"""Which attributes `client.update` cannot set, by tier (userengage-api.md §2).

The published mutability list is incomplete, so each tier names its basis, and the level of
each tier is data: configuration can move attributes between tiers, remove them, and change a
tier's level (UE003's options).
"""

from __future__ import annotations

from dataclasses import dataclass

from uelint import Level


@dataclass(frozen=True)
class Tier:
    key: str  # as configuration names it: "documented", "system", "auto-detected", "ip-geo"
    name: str
    level: Level | None  # None: off by default
    attributes: frozenset[str]
    why: str  # completes "`key` ..." in a message


TIERS: tuple[Tier, ...] = (
    Tier(
        "documented", "documented immutable", Level.ERROR,
        frozenset({"browser_language", "ip_address"}),
        "is detected automatically by the SDK and cannot be overwritten with client.update "
        "(documented immutable attribute)",
    ),
    Tier(
        "system", "system", Level.ERROR,
        frozenset({
            "id", "key", "user_key", "userKey", "page_views", "created_at", "updated_at",
            "first_seen", "last_seen", "last_contacted", "most_active_time", "last_ip",
            "gravatar_url", "chat_id", "company_id", "lists", "tags", "companies",
            "attributes", "custom_id",
        }),
        "is a read-only system field of the user profile and cannot be changed with "
        "client.update (system/computed attribute)",
    ),
    Tier(
        "auto-detected", "auto-detected", Level.WARNING,
        frozenset({
            "browser", "browser_version", "browser_family", "os", "os_type", "resolution",
            "device", "device_type", "device_name", "hostname", "timezone", "url",
            "current_url", "referrer", "user_agent", "language",
        }),
        "is detected by the SDK and overwritten on every visit, so a value set with "
        "client.update does not last (auto-detected technical attribute); store your own "
        "value under a custom attribute name",
    ),
    Tier(
        "ip-geo", "IP-geo", None,
        frozenset({"country", "region", "city"}),
        "is detected from the visitor's IP address and may be overwritten on the next visit "
        "(IP-geo attribute)",
    ),
)

BY_KEY: dict[str, Tier] = {tier.key: tier for tier in TIERS}
BY_ATTRIBUTE: dict[str, Tier] = {name: tier for tier in TIERS for name in tier.attributes}
