from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core.errors import DomainError
from huitoukan.core.pages import form_page, saved
from huitoukan.notifications import selectors, services
from huitoukan.notifications.forms import ChannelForm, RobotForm

PAGE_SIZE = 20


@require_GET
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.notifications_of(user=request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {
        "page": page, "unread_only": unread_only, "active_menu": "notifications",
        "may_keep_robots": policy.has_perm_somewhere(request.user, Perm.CAMPAIGN_MANAGE)})


@require_POST
def notification_read(request, pk):
    notification = selectors.notification_get_for(user=request.user, pk=pk)
    services.notification_read(actor=request.user, notification=notification)
    return redirect("notification-list")


@require_POST
def notification_read_all(request):
    count = services.notifications_read_all(actor=request.user)
    return saved(request, _("已将 %(count)d 条消息标为已读。") % {"count": count}, "notification-list")


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    # A form of one checkbox: a POST with the box off sends nothing, and is still a POST.
    form = ChannelForm(request.POST if request.method == "POST" else None,
                       initial={"email": selectors.email_preference_of(user=request.user)})

    def write(data):
        services.channel_preference_set(actor=request.user, email=data["email"])
        return saved(request, _("已保存提醒方式。"), "notification-settings")

    return form_page(request, form, write, "notifications/settings.html", {
        "channels": selectors.channels_of(user=request.user), "active_menu": "notifications"})


# --- group robots of an office (活动办, over the robot's unit) ---


@require_GET
def robot_list(request):
    policy.require_somewhere(request.user, Perm.CAMPAIGN_MANAGE)
    return render(request, "notifications/robot_list.html", {
        "robots": selectors.robots_visible(user=request.user), "active_menu": "robots"})


def _robot_values(data) -> dict:
    return {k: data[k] for k in ("name", "kind", "url")}


@require_http_methods(["GET", "POST"])
def robot_create(request):
    # The form names its unit: refused there (404 out of scope, 403 in it) before it is read.
    named = request.POST.get("unit")
    if named not in (None, "") and str(named).isdigit():
        unit = selectors.unit_model().objects.filter(pk=named).first()
        if unit is not None:
            policy.require(request.user, Perm.CAMPAIGN_MANAGE, unit)
    policy.require_somewhere(request.user, Perm.CAMPAIGN_MANAGE)
    units = selectors.robot_units(user=request.user)
    form = RobotForm(request.POST or None, units=units)

    def write(data):
        robot = services.robot_create(actor=request.user, unit=data["unit"], secret=data["secret"], is_active=data["is_active"],
                                      **_robot_values(data))
        return saved(request, _("已添加群机器人“%(name)s”。") % {"name": robot.name}, "robot-edit", robot.pk)

    return form_page(request, form, write, "notifications/robot_form.html",
                     {"robot": None, "active_menu": "robots"})


@require_http_methods(["GET", "POST"])
def robot_edit(request, pk):
    robot = selectors.robot_get_for(user=request.user, pk=pk)
    form = RobotForm(request.POST or None, robot=robot, initial={
        "name": robot.name, "kind": robot.kind, "url": robot.url, "is_active": robot.is_active})

    def write(data):
        secret = "" if data.get("clear_secret") else (data["secret"] or None)
        services.robot_update(actor=request.user, robot=robot, secret=secret, is_active=data["is_active"],
                              **_robot_values(data))
        return saved(request, _("已保存。"), "robot-edit", robot.pk)

    return form_page(request, form, write, "notifications/robot_form.html", {
        "robot": robot, "deliveries": selectors.robot_deliveries(robot=robot), "active_menu": "robots"})


@require_POST
def robot_test(request, pk):
    robot = selectors.robot_get_for(user=request.user, pk=pk)
    try:
        services.robot_test(actor=request.user, robot=robot)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("robot-edit", robot.pk)
    return saved(request, _("测试消息已排队发送，请稍后在群里查看；发送结果见下方记录。"), "robot-edit", robot.pk)
