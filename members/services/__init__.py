"""Every write the members domain knows. Views, the API, commands and tests call these functions;
none of them writes members' models directly."""

from .profiles import (
    MAX_INTERESTS,
    MAX_SKILLS,
    PROFILE_FIELDS,
    add_skill,
    approve_skill,
    create_member,
    edit_profile,
    merge_skills,
    propose_skill,
    refresh_search_document,
    remove_avatar,
    rename_skill,
    set_avatar,
    set_interests,
    set_role,
    set_skills,
    update_profile,
)
from .reciprocity import dismiss, endorse, mark_notifications_read, record_give, synchronize_reciprocity, thank
from .relations import decide_recommendation, recommend, request_connection, respond_to_connection

__all__ = [
    "MAX_INTERESTS",
    "MAX_SKILLS",
    "PROFILE_FIELDS",
    "add_skill",
    "approve_skill",
    "create_member",
    "decide_recommendation",
    "dismiss",
    "edit_profile",
    "endorse",
    "mark_notifications_read",
    "merge_skills",
    "propose_skill",
    "recommend",
    "record_give",
    "refresh_search_document",
    "remove_avatar",
    "rename_skill",
    "request_connection",
    "respond_to_connection",
    "set_avatar",
    "set_interests",
    "set_role",
    "set_skills",
    "synchronize_reciprocity",
    "thank",
    "update_profile",
]
