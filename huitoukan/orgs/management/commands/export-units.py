"""`huitoukan export-units [--under PATH] [--format xlsx|csv] -o FILE`: the unit tree as a file."""

from pathlib import Path

from django.core.management.base import CommandError

from huitoukan.access.commands import ActingCommand
from huitoukan.core.files import write_atomic
from huitoukan.orgs import selectors
from huitoukan.orgs.errors import OrgsError
from huitoukan.orgs.unit_export import FORMATS, unit_export


class Command(ActingCommand):
    help = "把组织树（或某个单位及其全部下级）导出为 xlsx 或 CSV，导出的文件可以直接再导入（以服务器运维身份，记在 --as 账号名下）"
    operator_authority = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="输出文件")
        parser.add_argument("--under", help="只导出这个单位及其下级，写路径（娄底市/涟源市）或唯一的名称")
        parser.add_argument("--format", choices=FORMATS, help="默认按输出文件的扩展名，否则为 xlsx")

    def handle(self, *args, **options):
        actor = self.actor(options)
        path = Path(options["output"])
        under = options["under"]
        fmt = options["format"] or (path.suffix.lower().lstrip(".") if path.suffix.lower() in (".xlsx", ".csv") else "xlsx")
        root = None
        if under:
            try:
                root = selectors.unit_resolve(under)
            except OrgsError:
                # An abolished unit is exported too, when that is the only match.
                try:
                    root = selectors.unit_resolve(under, active_only=False)
                except OrgsError as e:
                    raise CommandError(e.message) from e

        data = unit_export(user_or_none=actor, root=root, fmt=fmt)
        # Write beside the target and rename, so a failed export never leaves half a file.
        try:
            write_atomic(path, data)
        except OSError as e:
            raise CommandError(f"无法写入 {path}：{e.strerror or e}") from e
        what = root.full_name if root is not None else "全部单位"
        self.stdout.write(self.style.SUCCESS(f"已导出 {what} 到 {path}（{len(data) // 1024 + 1} KB）。"))
