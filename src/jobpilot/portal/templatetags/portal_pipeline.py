"""Filters for the console's candidate page."""

from django import template

register = template.Library()


@register.filter
def author(members: dict, user_id) -> str:
    """A note's or scorecard's author by name; someone who left the team is still credited, anonymously."""
    user = members.get(user_id)
    return user.display_name if user is not None else "Former team member"


@register.filter
def answer_text(answer) -> str:
    if isinstance(answer, bool):
        return "Yes" if answer else "No"
    if isinstance(answer, list):
        return ", ".join(str(item) for item in answer)
    return str(answer)


@register.filter
def posted(values, name: str) -> str:
    """What the form sent for `name`, so a form answered with an error keeps the seeker's answers."""
    return values.get(name, "") if hasattr(values, "get") else ""
