"""Shared fixtures: a small unit tree built through the services, and users holding roles."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth import get_user_model

from huitoukan.access import services as access_services
from huitoukan.access.models import Role
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Batch, Unit, UnitKind, UnitLevel

PASSWORD = "Test@2015pass"
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


@pytest.fixture
def make_user(db):
    """make_user(role, unit, person=None, group=None) -> a user holding that one role."""

    def make(role: Role | None = None, unit: Unit | None = None, *, person=None, group=None, username=None):
        user = get_user_model().objects.create_user(
            username=username or f"user{next(_counter)}", password=PASSWORD
        )
        if role is not None:
            access_services.role_grant(actor=None, user=user, role=role, unit=unit, person=person,
                                       supervision_group=group)
        return user

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (checked in tests/access/test_passwords.py); tests need speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    # Evidence written by a test must not land in the working tree's var/.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
