"""What volunteers tell the partners app (registered from apps.ready()): a merge of two
partners moves the teams to the partner kept."""

from dangqun.partners import links

from .models import Team


def repoint(old_partner_id: int, new_partner_id: int) -> int:
    return Team.objects.filter(partner_id=old_partner_id).update(partner_id=new_partner_id)


def register() -> None:
    links.register_repoint("volunteers", repoint)
