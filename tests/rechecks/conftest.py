from tests.ledgers.conftest import lw  # noqa: F401
