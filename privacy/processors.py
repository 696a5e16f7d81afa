"""The processor registry (notice section 4.1), read from PRIVACY_PROCESSORS when asked."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Processor:
    key: str
    name: str
    examples: str
    provider: str
    purpose: str
    data_sent: str
    active: bool
    # Not a processor of ours but another recipient (the job boards a posting is read from).
    recipient: bool = False
    # What is and is not guaranteed about training models on the data (AI providers).
    training: str = ""


def _is_set(name: str) -> bool:
    value = getattr(settings, name, None)
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def _active(active_if: str | list[str] | None) -> bool:
    if active_if is None:
        return True
    names = [active_if] if isinstance(active_if, str) else active_if
    return any(_is_set(name) for name in names)


def _provider(name: str) -> str:
    value = getattr(settings, name, "") if name else ""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value or "")


def get_processors() -> list[Processor]:
    return [
        Processor(
            key=entry["key"],
            name=entry["name"],
            examples=entry.get("examples", ""),
            provider=_provider(entry.get("provider_setting", "")),
            purpose=entry["purpose"],
            data_sent=entry["data_sent"],
            active=_active(entry.get("active_if")),
            recipient=bool(entry.get("recipient", False)),
            training=entry.get("training", ""),
        )
        for entry in settings.PRIVACY_PROCESSORS
    ]
