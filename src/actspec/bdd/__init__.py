"""The BDD layer: pytest-bdd glue between the features' sentences and the engine.

``session`` is one pytest session's kit (services, ledger, runner, run cache); ``scenario``
turns what a scenario says into a ``RunSpec``; ``checks`` states what must hold of a
``RunResult`` and the ledger, in the document's words; ``probes`` asks the services questions
no run asks; ``phrases`` converts step parameters; ``pytest_plugin``, ``feature_files``,
``changed`` and ``results_dir`` are the pytest plugins; ``fidelity`` names act's known
divergences from GitHub for strict xfails.
"""
