import pytest

from cog import BasePredictor, Input, ValidationError


class Adder(BasePredictor):
    def setup(self):
        self.offset = 100
        self.setups = getattr(self, "setups", 0) + 1

    def predict(
        self,
        a: int = Input(description="first", ge=0, le=10),
        b: int = Input(default=1),
        mode: str = Input(default="plain", choices=["plain", "offset"]),
        note: str = "",
    ) -> int:
        total = a + b
        return total + self.offset if mode == "offset" else total


def test_inputs_are_declared():
    fields = Adder.inputs()
    assert list(fields) == ["a", "b", "mode", "note"]
    assert fields["a"].required
    assert fields["a"].description == "first"
    assert not fields["b"].required
    assert fields["note"].default == ""


def test_run_fills_defaults_and_sets_up_once():
    predictor = Adder()
    assert predictor.run(a=2) == 3
    assert predictor.run(a=2, b=3, mode="offset") == 105
    assert predictor.setups == 1


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({}, "a: required input is missing"),
        ({"a": -1}, "less than the minimum"),
        ({"a": 11}, "greater than the maximum"),
        ({"a": 1, "mode": "loud"}, "is not one of"),
        ({"a": 1, "c": 2}, "unknown inputs: c"),
    ],
)
def test_run_validates(inputs, message):
    with pytest.raises(ValidationError, match=message):
        Adder().run(**inputs)


def test_predict_must_be_implemented():
    with pytest.raises(NotImplementedError):
        BasePredictor().run()
