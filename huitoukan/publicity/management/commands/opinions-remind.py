"""`huitoukan opinions-remind [--date YYYY-MM-DD] [--background]`: the 群众意见 answer reminders now."""

from huitoukan.jobs.commands import DailyJobCommand
from huitoukan.publicity.opinion_reminders import reminders_start


class Command(DailyJobCommand):
    help = "群众意见答复提醒：临近时限提醒受理单位活动办，逾期提醒单位主要负责同志（每件每步一次）"

    def start(self, *, today, queue):
        return reminders_start(today=today, queue=queue)
