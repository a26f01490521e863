"""The engine layer: one ``RunSpec`` in, one ``RunResult`` out, by running real act in Docker.

``runner`` drives a run (repository copy, event, act command line, services for the run,
log parsing); ``act`` builds act's command line and reads its JSON log; ``engines`` leases the
Docker engines the runs use; ``hygiene`` labels, watches and removes what a run created;
``sandbox`` runs a binary a workflow built, never on the host; ``events`` writes the GitHub
event payloads; ``shared`` lets pytest-xdist workers share one run.  Nothing here knows the
document: it runs workflows, it does not judge them.
"""
