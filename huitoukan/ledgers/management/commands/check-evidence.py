from django.core.management.base import BaseCommand, CommandError

from huitoukan.ledgers.integrity import evidence_check


class Command(BaseCommand):
    help = "检查佐证材料：记录对应的文件是否存在、内容是否与校验值一致，并列出无记录的孤立文件"

    def handle(self, *args, **options):
        report = evidence_check()
        for sha in report.missing:
            self.stdout.write(f"缺失：{sha}")
        for sha in report.damaged:
            self.stdout.write(f"损坏：{sha}")
        for sha in report.orphans:
            self.stdout.write(f"孤立文件（无记录，可清理）：{sha}")
        summary = (f"已检查 {report.checked} 个文件：缺失 {len(report.missing)}，损坏 {len(report.damaged)}，"
                   f"孤立 {len(report.orphans)}。")
        if not report.ok:
            raise CommandError(summary, returncode=3)
        self.stdout.write(summary)
