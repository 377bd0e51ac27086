from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db.models import Q

from huitoukan.access import services
from huitoukan.access.commands import ActingCommand
from huitoukan.access.models import Role
from huitoukan.core.errors import DomainError
from huitoukan.orgs import selectors
from huitoukan.orgs.models import Person, SupervisionGroup

ROLE_BY_LABEL = {str(r.label): r for r in Role} | {r.value: r for r in Role}


class Command(ActingCommand):
    help = ("授予角色（以服务器运维身份执行，可授予安全管理员、审计管理员，记在 --as 账号名下）。"
            "例：huitoukan grant-role zhang 活动办管理员 娄底市/涟源市 --as ops")
    operator_authority = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username")
        parser.add_argument("role", help="角色名称，如 活动办管理员、安全管理员，或其代码")
        parser.add_argument("unit", help="单位路径，如 娄底市/涟源市")
        parser.add_argument("--group", help="督导组名称（督导组成员）")
        parser.add_argument("--person", help="对应人员姓名（责任领导）")

    def handle(self, *args, username, role, unit, group=None, person=None, **options):
        actor = self.actor(options)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"找不到用户“{username}”。", returncode=2)
        if role not in ROLE_BY_LABEL:
            raise CommandError(f"未知角色“{role}”，可选：{'、'.join(str(r.label) for r in Role)}。", returncode=2)
        try:
            target = selectors.unit_resolve(unit)
            # Group names are unique per dispatching unit: the unit argument names that unit.
            supervision_group = SupervisionGroup.objects.filter(dispatched_by=target, name=group).first() if group else None
            if group and supervision_group is None:
                raise CommandError(f"“{target.full_name}”派出的督导组中没有“{group}”。", returncode=2)
            person_obj = None
            if person:
                person_obj = Person.objects.filter(
                    Q(unit=target) | Q(unit__full_name__startswith=target.full_name + "/"), name=person
                ).first()
                if person_obj is None:
                    raise CommandError(f"在“{target.full_name}”中找不到人员“{person}”。", returncode=2)
            services.role_grant(actor=actor, user=user, role=ROLE_BY_LABEL[role], unit=target,
                                person=person_obj, supervision_group=supervision_group)
        except DomainError as e:
            raise CommandError(e.message, returncode=2) from e
        self.stdout.write(f"已授予 {username}：{ROLE_BY_LABEL[role].label} @ {target.full_name}")
