"""Reads over the personal-data map (jobtrax.datamap) for the export, erasure and "Your data".

Each app declares its own kinds in its `personal_data.py`. A test discovers by introspection
every model with a field pointing to the user model and fails if one is not declared.
"""

from jobtrax import datamap
from jobtrax.datamap import Kind


def installed_kinds() -> list[Kind]:
    return [kind for kind in datamap.kinds() if kind.get_model() is not None]


def covered_links() -> set[tuple[str, str]]:
    """(model label, field name) of every link to the user the declared kinds know about."""
    covered = set()
    for kind in installed_kinds():
        model = kind.get_model()
        for name in kind.user_fields:
            covered.add((model._meta.label_lower, name))
    return covered


def retention_display(kind: Kind) -> str:
    """How long rows of the kind are kept, in words. Raises KeyError for a kind naming a
    retention policy nobody declared."""
    if kind.retention_policy is None:
        return kind.retention
    return datamap.policy(kind.retention_policy).window_display
