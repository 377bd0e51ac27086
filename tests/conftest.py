"""Shared fixtures: a small unit tree built through the services, and users holding roles."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from huitoukan.access import services as access_services
from huitoukan.access.models import ADMIN_KIND_OF_ROLE, AccountKind, Role
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Batch, Unit, UnitKind, UnitLevel

PASSWORD = "Test@2015pass"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_counter = itertools.count(1)


class Tree:
    """娄底市 > 涟源市 > 桥头河镇 > 石狮村; 娄底市 > 娄星区 > 乐坪街道; 娄底市 > 市教育局."""

    def __init__(self):
        make = org_services.unit_create
        on = dt.date(2013, 6, 18)
        self.city = make(actor=None, parent=None, name="娄底市", level=UnitLevel.CITY,
                         kind=UnitKind.PARTY_COMMITTEE, batch=Batch.FIRST, established_on=on)
        self.lianyuan = make(actor=None, parent=self.city, name="涟源市", level=UnitLevel.COUNTY,
                             kind=UnitKind.PARTY_COMMITTEE, batch=Batch.SECOND, established_on=on)
        self.qiaotouhe = make(actor=None, parent=self.lianyuan, name="桥头河镇", level=UnitLevel.TOWNSHIP,
                              kind=UnitKind.PARTY_COMMITTEE, established_on=on)
        self.shishi = make(actor=None, parent=self.qiaotouhe, name="石狮村", level=UnitLevel.VILLAGE,
                           kind=UnitKind.GRASSROOTS, established_on=on)
        self.louxing = make(actor=None, parent=self.city, name="娄星区", level=UnitLevel.COUNTY,
                            kind=UnitKind.PARTY_COMMITTEE, established_on=on)
        self.leping = make(actor=None, parent=self.louxing, name="乐坪街道", level=UnitLevel.TOWNSHIP,
                           kind=UnitKind.PARTY_COMMITTEE, established_on=on)
        self.education = make(actor=None, parent=self.city, name="市教育局", level=UnitLevel.CITY,
                              kind=UnitKind.ORGAN, established_on=on)

    def refresh(self):
        for name, value in vars(self).items():
            if isinstance(value, Unit):
                setattr(self, name, Unit.objects.get(pk=value.pk))
        return self


@pytest.fixture
def tree(db) -> Tree:
    return Tree()


def user_create(role: Role | None = None, unit: Unit | None = None, *, person=None, group=None, username=None):
    """A user holding that one role (or none), granted through the service. A login given an
    administrator role is that administrator's login from its creation (access.models.Account);
    any other is a business login of the role's unit."""
    kind = ADMIN_KIND_OF_ROLE.get(role, AccountKind.BUSINESS)
    home = unit if kind == AccountKind.BUSINESS else None
    user = access_services.account_create(actor=None, username=username or f"user{next(_counter)}", kind=kind,
                                          unit=home, password=PASSWORD)
    if role is not None:
        access_services.role_grant(actor=None, user=user, role=role, unit=unit, person=person,
                                   supervision_group=group)
    return user


@pytest.fixture
def make_user(db):
    """make_user(role, unit, person=None, group=None) -> a user holding that one role."""
    return user_create


@contextlib.contextmanager
def built_once(django_db_blocker, tmp_path_factory):
    """Data for a whole module (or class), built in a transaction that is rolled back at its end.

    A module- or class-scoped fixture builds through the services in this block and yields; each
    test still requests `db`, so it runs in a savepoint and leaves the shared data as it found it.
    The autouse settings below are function-scoped and don't reach such a fixture: set here too.
    Yields the folder evidence files go to (MEDIA_ROOT) while the data is built.
    """
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media,
                                                        JOBS_DIR=jobs_folder(tmp_path_factory)):
        with rolled_back():
            yield media


@contextlib.contextmanager
def rolled_back():
    """Run the block in a transaction that is rolled back at its end.

    The block is marked the way Django's TestCase marks its own, so that a durable service
    (`atomic(durable=True)`) may still run inside it, as it may inside a test.
    """
    atomic = transaction.atomic()
    atomic._from_testcase = True
    with atomic:
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="session", autouse=True)
def _static_files_listed_once():
    # Every test client builds its own middleware, and WhiteNoise's lists every static file then
    # (~3,000 files, ~85 ms). The list cannot change during a run: make it once, serve the same files.
    listed: dict = {}
    list_files = WhiteNoiseMiddleware.add_files_from_finders

    def add_files_from_finders(self):
        if not listed:
            list_files(self)
            listed.update(self.files)
        else:
            self.files.update(listed)

    with mock.patch.object(WhiteNoiseMiddleware, "add_files_from_finders", add_files_from_finders):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (checked in tests/access/test_passwords.py); tests need speed.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    # Evidence written by a test must not land in the working tree's var/, nor in another worker's folder.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


def jobs_folder(tmp_path_factory):
    """One folder of job results per test run and worker: a module's shared data may hold finished
    jobs, whose files must still be there in its tests."""
    folder = tmp_path_factory.getbasetemp() / "jobs"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def _jobs_in_a_temporary_folder(settings, tmp_path_factory):
    settings.JOBS_DIR = jobs_folder(tmp_path_factory)


@pytest.fixture(autouse=True)
def _var_in_a_temporary_folder(settings, tmp_path_factory):
    # Previewed uploads wait under VAR_DIR (core.uploads): keep the tests' ones out of the working tree.
    settings.VAR_DIR = tmp_path_factory.mktemp("var")


# The second factor (huitoukan.twofactor): a test's `client.force_login` or `client.login` of a login
# that needs one (the 三员, a role the security policy names) also gives it a confirmed TOTP device
# with this key (when it has none) and marks the session verified with it, as if a code had passed.
# The real login page still asks for the code (tests/twofactor); only these test shortcuts skip it.
SECOND_FACTOR_TEST_KEY = "3132333435363738393031323334353637383930"


@pytest.fixture(scope="session", autouse=True)
def _forced_logins_pass_the_second_factor():
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from huitoukan.twofactor.rules import second_factor_required

    login = ClientMixin._login

    def _login(self, user, backend=None):
        login(self, user, backend)
        # A fresh instance: the policy caches the roles on the object, and the test may grant more to its own.
        if second_factor_required(get_user_model().objects.get(pk=user.pk)):
            device = (TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()
                      or TOTPDevice.objects.create(user_id=user.pk, name="测试", key=SECOND_FACTOR_TEST_KEY))
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    with mock.patch.object(ClientMixin, "_login", _login):
        yield


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory, worker_id):
    """A SQLite file migrated from zero by `huitoukan migrate` in a process of its own, made once for the
    whole run (its xdist workers share it through a lock): the end-to-end tests that start real processes
    copy it rather than each spending ~30 s of CPU replaying the migrations."""
    import fcntl
    import os
    import subprocess
    import sys

    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    target = shared / "migrated.sqlite3"
    with open(shared / "migrated.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            building = shared / "migrating.sqlite3"
            env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
            env |= {"DATABASE_URL": f"sqlite:///{building}", "HUITOUKAN_VAR": str(shared / "migrating-var")}
            done = subprocess.run([sys.executable, "-m", "huitoukan.cli", "migrate", "-v", "0"], env=env,
                                  capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stdout + done.stderr
            building.rename(target)
    return target
