"""Steps of the release features."""
