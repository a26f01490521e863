import cog


def test_version() -> None:
    assert cog.__version__ == "0.1.0"
