"""Settings of the load test's server (benchmarks/load_test.py): the product's own, plus a bare view.

The bare view, `/__bare__/`, sits in front of huitoukan.urls (benchmarks/bare_urls.py), so it goes
through the very same middleware as every page (sessions, login required, CSP, axes, ...): it is
the reference the pages' rates are compared with. Nothing else differs from huitoukan.settings;
the database comes from DATABASE_URL, which the load test points at its throwaway database.
"""

from huitoukan.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bare_urls"
