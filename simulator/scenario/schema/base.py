"""What every section of the schema shares: strict models, shares, names and bounds."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

NAME_PATTERN = r"^[A-Za-z0-9_.-]+$"
# Names that become folder names (results/<name>/): letters, digits, '.', '_', '-', 1 to 100
# characters, not starting with '.' (hidden; '.' and '..' are the folder and its parent).
FOLDER_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}")
FOLDER_NAME_RULE = (
    "1 to 100 letters, digits, '.', '_' or '-', not starting with '.' (it names the results folder)"
)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # control characters, refused in data texts
SEED_BOUNDS = (0, 2**63 - 1)  # root seeds [integer]
MAX_MONTH = 239  # the last month index of the longest horizon (240 months)


def check_folder_name(value: str) -> str:
    """``value`` if it is a safe folder name, else ValueError saying what is expected."""
    if not isinstance(value, str) or not FOLDER_NAME.fullmatch(value):
        shown = repr(value) if len(value) <= 60 else f"{value[:40]!r}… ({len(value)} characters)"
        raise ValueError(f"{shown} is not a safe name; expected {FOLDER_NAME_RULE}")
    return value


def field_bounds(model: type[BaseModel], name: str) -> tuple[Any, Any]:
    """The (lower, upper) bounds of a numeric field, from its ge/gt and le/lt constraints."""
    low = high = None
    for item in model.model_fields[name].metadata:
        low = getattr(item, "ge", getattr(item, "gt", low))
        high = getattr(item, "le", getattr(item, "lt", high))
    return low, high


class Strict(BaseModel):
    """Base for every section: unknown fields are errors, values are re-validated on change."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


Share = Annotated[float, Field(ge=0.0, le=1.0)]
