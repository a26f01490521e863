"""The repository layer: what the kit reads from the repository under test and its binding.

``workflow`` reads a workflow file (jobs, needs, permissions, matrices as declared; it never
evaluates them, act does); ``binding`` and ``binding_schema`` load and validate
``actspec.yaml``; ``repo`` copies the repository and applies a scenario's change; ``standins``
maps actions to shims or declared stand-ins; ``structure`` stubs the steps that do not decide
the graph; ``scaffold`` writes a starter binding (``python -m actspec init``).
"""
