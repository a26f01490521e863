"""Input declarations for predictors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

_MISSING = object()


class ValidationError(ValueError):
    """An input value does not satisfy its declaration."""


@dataclass(frozen=True)
class FieldInfo:
    default: Any = _MISSING
    description: str | None = None
    ge: float | None = None
    le: float | None = None
    choices: Sequence[Any] | None = None

    @property
    def required(self) -> bool:
        return self.default is _MISSING

    def validate(self, name: str, value: Any) -> Any:
        if self.ge is not None and value < self.ge:
            raise ValidationError(
                f"{name}: {value!r} is less than the minimum {self.ge!r}"
            )
        if self.le is not None and value > self.le:
            raise ValidationError(
                f"{name}: {value!r} is greater than the maximum {self.le!r}"
            )
        if self.choices is not None and value not in self.choices:
            raise ValidationError(
                f"{name}: {value!r} is not one of {list(self.choices)!r}"
            )
        return value


def Input(  # noqa: N802 - the public name mirrors a type-like constructor
    default: Any = _MISSING,
    *,
    description: str | None = None,
    ge: float | None = None,
    le: float | None = None,
    choices: Sequence[Any] | None = None,
) -> Any:
    """Declare a predictor input: ``def predict(self, n: int = Input(ge=1)) -> int``."""
    return FieldInfo(
        default=default, description=description, ge=ge, le=le, choices=choices
    )
