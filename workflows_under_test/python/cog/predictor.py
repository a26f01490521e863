"""The predictor base class."""

from __future__ import annotations

import inspect
from typing import Any

from cog.types import FieldInfo, ValidationError


class BasePredictor:
    """Subclass and implement ``predict``.

    ``setup`` runs once, before the first prediction.
    """

    _is_set_up = False

    def setup(self) -> None:
        """Load weights and other expensive state (optional)."""

    def predict(self, **kwargs: Any) -> Any:
        raise NotImplementedError("predictors must implement predict()")

    @classmethod
    def inputs(cls) -> dict[str, FieldInfo]:
        """The declared inputs of ``predict``, by name."""
        fields = {}
        for name, param in inspect.signature(cls.predict).parameters.items():
            if name == "self" or param.kind in (
                param.VAR_POSITIONAL,
                param.VAR_KEYWORD,
            ):
                continue
            default = param.default
            if isinstance(default, FieldInfo):
                fields[name] = default
            elif default is inspect.Parameter.empty:
                fields[name] = FieldInfo()
            else:
                fields[name] = FieldInfo(default=default)
        return fields

    def run(self, **inputs: Any) -> Any:
        """Validate ``inputs`` against the declarations, fill defaults and predict."""
        if not self._is_set_up:
            self.setup()
            self._is_set_up = True
        fields = self.inputs()
        unknown = sorted(set(inputs) - set(fields))
        if unknown:
            raise ValidationError(f"unknown inputs: {', '.join(unknown)}")
        values = {}
        for name, field in fields.items():
            if name in inputs:
                values[name] = field.validate(name, inputs[name])
            elif field.required:
                raise ValidationError(f"{name}: required input is missing")
            else:
                values[name] = field.default
        return self.predict(**values)
