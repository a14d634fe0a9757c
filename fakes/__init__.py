"""Local fakes of the platforms' and carriers' HTTP APIs, for tests and the demo."""
