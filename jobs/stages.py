"""A person's own stages: read (created lazily from the defaults), renamed, added, reordered,
hidden. Every stage maps to one Phase; the funnel and the reminders read phases."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jobs.models import (
    ACTIVE_PHASES,
    BUILTIN_PHASES,
    DEFAULT_STAGES,
    STAGE_NAME_MAX,
    PersonalStage,
    Phase,
    Stage,
)

MAX_STAGES = 30
# How far along the funnel each phase is. Closed phases say nothing of how far a job got:
# the history does ("Saved → Rejected" is not an application).
PHASE_REACH = {
    Phase.SAVED: 0,
    Phase.APPLIED: 1,
    Phase.INTERVIEWING: 2,
    Phase.OFFER: 3,
    Phase.CLOSED_WON: 3,
    Phase.CLOSED_LOST: 0,
}


@dataclass(frozen=True)
class StageMap:
    """A person's stages in their order: one query."""

    stages: tuple[PersonalStage, ...]

    @property
    def names(self) -> dict[str, str]:
        return {s.key: s.name for s in self.stages}

    @property
    def phases(self) -> dict[str, str]:
        return {**BUILTIN_PHASES, **{s.key: s.phase for s in self.stages}}

    def keys(self) -> set[str]:
        return {s.key for s in self.stages}

    def choices(self, current: str = "") -> list[tuple[str, str]]:
        """The stages a job can move to: the visible ones, and its current one."""
        return [(s.key, s.name) for s in self.stages if not s.hidden or s.key == current]

    def columns(self) -> list[PersonalStage]:
        return [s for s in self.stages if not s.hidden and s.phase in ACTIVE_PHASES]

    def phase_of(self, key: str) -> str:
        return self.phases.get(key, Phase.SAVED)


def _defaults(user_id: int) -> list[PersonalStage]:
    return [
        PersonalStage(user_id=user_id, key=stage, name=Stage(stage).label, phase=phase, position=i)
        for i, (stage, phase) in enumerate(DEFAULT_STAGES)
    ]


def stage_map(user) -> StageMap:
    """The person's stages. The first read stores the defaults (the built-in stages and
    "Ghosted"), so jobs tracked before stages of one's own keep their stages."""
    user_id = getattr(user, "pk", user)
    stages = list(PersonalStage.objects.filter(user_id=user_id).order_by("position", "pk"))
    if not stages:
        try:
            with transaction.atomic():
                PersonalStage.objects.bulk_create(_defaults(user_id))
        except IntegrityError:
            pass  # another request created them
        stages = list(PersonalStage.objects.filter(user_id=user_id).order_by("position", "pk"))
    return StageMap(tuple(stages))


def _forget_funnel(user_id: int) -> None:
    from jobs.services import _forget_funnel as forget

    forget(user_id)


def _clean_name(name: str) -> str:
    name = " ".join(str(name or "").replace("\x00", "").split())[:STAGE_NAME_MAX]
    if not name:
        raise ValidationError({"name": "Give the stage a name."})
    return name


def stage_add(*, user, name: str, phase: str) -> PersonalStage:
    if phase not in Phase.values:
        raise ValidationError({"phase": "Choose one of the phases."})
    current = stage_map(user)
    if len(current.stages) >= MAX_STAGES:
        raise ValidationError({"name": f"You can have at most {MAX_STAGES} stages."})
    number = 1 + max([int(s.key[4:]) for s in current.stages if s.key.startswith("own-")] or [0])
    stage = PersonalStage.objects.create(
        user=user,
        key=f"own-{number}",
        name=_clean_name(name),
        phase=phase,
        position=1 + max(s.position for s in current.stages),
    )
    _forget_funnel(user.pk)
    return stage


def stages_update(*, user, changes: dict[str, dict]) -> None:
    """Rename, re-map, reorder and hide stages: `changes` maps a key to its new
    name/phase/position/hidden. A stage with jobs can be hidden (they stay in it)."""
    stages = {s.key: s for s in stage_map(user).stages}
    with transaction.atomic():
        for key, values in changes.items():
            stage = stages.get(key)
            if stage is None:
                raise ValidationError("That stage is not one of yours.")
            if "name" in values:
                stage.name = _clean_name(values["name"])
            if "phase" in values:
                if values["phase"] not in Phase.values:
                    raise ValidationError({"phase": "Choose one of the phases."})
                stage.phase = values["phase"]
            if "position" in values:
                stage.position = max(0, min(int(values["position"]), 999))
            if "hidden" in values:
                stage.hidden = bool(values["hidden"]) and key != Stage.SAVED
            stage.save(update_fields=["name", "phase", "position", "hidden"])
    _forget_funnel(user.pk)
