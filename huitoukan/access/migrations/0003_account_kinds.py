"""Every existing login gets its kind from the roles it holds: an administrator role makes it that
administrator's login, anything else a business login. A business login belongs to the nearest unit
above all of its grants (else its own person's unit, else none)."""

from django.conf import settings
from django.db import migrations

STEPLEN = 4  # orgs.Unit.steplen, as it stands in this migration

ADMIN_KINDS = {"system_admin", "security_admin", "audit_admin"}


def _common_path(paths: list[str]) -> str:
    first, last = min(paths), max(paths)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[: n - n % STEPLEN]


def kinds_given(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Account = apps.get_model("access", "Account")
    RoleAssignment = apps.get_model("access", "RoleAssignment")
    Unit = apps.get_model("orgs", "Unit")
    Person = apps.get_model("orgs", "Person")
    grants: dict[int, list[tuple[str, str]]] = {}
    for user_id, role, path in RoleAssignment.objects.values_list("user_id", "role", "unit__path"):
        grants.setdefault(user_id, []).append((role, path))
    own_unit = dict(Person.objects.filter(user__isnull=False).values_list("user_id", "unit_id"))
    has_account = set(Account.objects.values_list("user_id", flat=True))
    accounts = []
    for user_id, joined in User.objects.values_list("pk", "date_joined"):
        if user_id in has_account:
            continue
        held = grants.get(user_id, [])
        admin = sorted({role for role, _ in held} & ADMIN_KINDS)
        unit_id = None
        if admin:
            kind = admin[0]
        else:
            kind = "business"
            if held:
                common = _common_path([path for _, path in held])
                unit_id = Unit.objects.filter(path=common).values_list("pk", flat=True).first() if common else None
            else:
                unit_id = own_unit.get(user_id)
        accounts.append(Account(user_id=user_id, kind=kind, unit_id=unit_id, created_at=joined))
    Account.objects.bulk_create(accounts, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_account"),
        ("orgs", "0003_unittally"),
    ]

    operations = [migrations.RunPython(kinds_given, migrations.RunPython.noop)]
