"""Every write the forums know. Views, the API, consumers, commands and tests call these."""

from .counters import synchronize_forums
from .groups import create_group, decide_membership, invite_member, join_group, leave_group, update_group
from .moderation import (
    approve_post,
    dismiss_flags,
    flag_post,
    hide_post,
    lock_thread,
    pin_thread,
    restore_post,
    import_trust_level,
    set_trust_level,
    suspend_member,
)
from .posting import (
    PollSpec,
    accept_answer,
    edit_post,
    mark_read,
    react,
    reply,
    start_thread,
    vote,
)

__all__ = [
    "PollSpec",
    "accept_answer",
    "approve_post",
    "create_group",
    "decide_membership",
    "dismiss_flags",
    "edit_post",
    "flag_post",
    "hide_post",
    "invite_member",
    "join_group",
    "leave_group",
    "lock_thread",
    "mark_read",
    "pin_thread",
    "react",
    "reply",
    "restore_post",
    "import_trust_level",
    "set_trust_level",
    "start_thread",
    "suspend_member",
    "synchronize_forums",
    "update_group",
    "vote",
]
