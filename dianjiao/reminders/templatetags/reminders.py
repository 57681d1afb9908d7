from django import template

from dianjiao.accounts.scope import is_station
from dianjiao.reminders.selectors import recent_for

register = template.Library()


@register.inclusion_tag("reminders/_sent.html", takes_context=True)
def reminders_sent(context):
    """The last digests sent to the user, so what came by SMS is found again after logging in."""
    user = context["request"].user
    return {
        "sent": recent_for(user) if user.is_authenticated else [],
        "station": is_station(user),
    }
