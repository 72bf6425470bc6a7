"""The forums API: the same rules as the pages, because the same selectors and services enforce them.

Views validate input, call one selector or service, and answer. A refused rule (`ForumError`) answers
with its own status (400, 409 for a duplicate, 429 for too much too fast): `{"detail": message}`, or
`{field: [message]}` when it concerns one field of the input. `PermissionDenied` answers 403 and
`Http404` 404, each with its message; a private group is never revealed to outsiders, it is not found.
Reading public groups needs no account, as on the pages; everything else does.

One module per subject, along the seams of forums.services: groups, posting, moderation, and
search; base holds what they share. Each module declares the serializers its views read and write,
above them."""
