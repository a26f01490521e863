"""Generated workflow mutants: how much of the document would the features notice if it broke?

``operators.generate(binding)`` reads the bound workflows and yields one :class:`Mutant` per
one-edit break of a document rule; ``run`` runs, per mutant, the scenarios of the section it
breaks against a broken copy (``pytest --mutant NAME``, ``--maxfail=1``) and scores them per
section.  This layer reads the repository and the binding and starts child pytest sessions;
it imports nothing of ``bdd``.
"""

from actspec.mutants.edits import Mutant
from actspec.mutants.operators import generate

__all__ = ["Mutant", "generate"]
