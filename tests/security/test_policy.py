"""The security policy: one row in force, its history, the 等保 floor, read fresh by every request."""

import pytest
from django.core.exceptions import ValidationError

from huitoukan.access.models import ADMIN_ROLES
from huitoukan.security.models import SecurityPolicy
from huitoukan.security.rules import ADMIN_ROLE_VALUES, REFERENCES
from huitoukan.security.selectors import policy_current, policy_scope

pytestmark = pytest.mark.django_db


def test_the_first_read_writes_the_initial_policy_from_the_settings(settings):
    settings.LOGIN_FAILURE_LIMIT = 4
    SecurityPolicy.objects.all().delete()
    policy = policy_current()
    assert policy.pk == 1
    assert policy.lockout_failures == 4
    assert policy.password_min_length == 10
    assert policy.password_expiry_days == 90
    assert policy.password_history == 5
    assert SecurityPolicy.objects.count() == 1


def test_the_administrator_roles_are_the_access_apps():
    assert ADMIN_ROLE_VALUES == {str(r) for r in ADMIN_ROLES}


def test_the_three_administrators_always_need_the_second_factor():
    policy = policy_current()
    policy.second_factor_roles = []
    for role in ADMIN_ROLE_VALUES:
        assert policy.second_factor_required([role])
    assert not policy.second_factor_required(["unit_filler"])
    policy.second_factor_roles = ["unit_filler"]
    assert policy.second_factor_required(["unit_filler"])


@pytest.mark.parametrize("field", sorted(REFERENCES))
def test_a_value_weaker_than_the_dengbao_reference_is_refused(field):
    policy = policy_current()
    ref = REFERENCES[field]
    setattr(policy, field, ref.value - 1 if ref.at_least else ref.value + 1)
    with pytest.raises(ValidationError) as err:
        policy.full_clean()
    assert field in err.value.message_dict
    assert "低于等保2.0三级要求" in " ".join(err.value.message_dict[field])


@pytest.mark.parametrize("field", sorted(REFERENCES))
def test_the_dengbao_reference_itself_is_accepted(field):
    policy = policy_current()
    setattr(policy, field, REFERENCES[field].value)
    if field == "lockout_account_failures":
        policy.lockout_failures = min(policy.lockout_failures, REFERENCES[field].value)
    policy.full_clean()


def test_a_scope_reads_once_and_outside_every_call_reads_afresh(django_assert_num_queries):
    policy_current()
    with django_assert_num_queries(1):
        policy_current()
    with policy_scope():
        with django_assert_num_queries(1):
            policy_current()
            policy_current()
    SecurityPolicy.objects.filter(pk=1).update(lockout_minutes=33)
    assert policy_current().lockout_minutes == 33
