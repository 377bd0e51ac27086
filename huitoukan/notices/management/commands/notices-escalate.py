"""`huitoukan notices-escalate [--date YYYY-MM-DD] [--background]`: raise 督办通知单 colours and notify now."""

from huitoukan.jobs.commands import DailyJobCommand
from huitoukan.notices.escalation import escalation_start


class Command(DailyJobCommand):
    help = "督办通知单按逾期天数转黄、转红，并提醒被督办单位和发文单位（每件每级一次）"

    def start(self, *, today, queue):
        return escalation_start(today=today, queue=queue)
