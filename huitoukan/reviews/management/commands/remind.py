"""`huitoukan remind [--date YYYY-MM-DD] [--background]`: send today's 催办 reminders now."""

from huitoukan.jobs.commands import DailyJobCommand
from huitoukan.reviews.reminders import reminders_start


class Command(DailyJobCommand):
    help = "发送催办提醒（报送时限和整改时限的各催办步骤，每人每事每步一次）"

    def start(self, *, today, queue):
        return reminders_start(today=today, queue=queue)
