"""形式主义预警: checks against box-ticking (issue 16 part 3, docs/formalism.md)."""
